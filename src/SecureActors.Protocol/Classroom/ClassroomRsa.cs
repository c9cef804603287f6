using System.Security.Cryptography;

namespace SecureActors.Protocol.Classroom;

/// <summary>
/// Textbook RSA from two 9-bit primes (n &lt; 2^18), no padding, as in the seed projects. Factoring n
/// is instant, and textbook signatures are malleable: sig(a)·sig(b) = sig(a·b).
/// </summary>
public sealed class ClassroomRsa
{
    private ClassroomRsa(int p, int q, int e, int d)
    {
        P = p;
        Q = q;
        N = p * q;
        E = e;
        D = d;
    }

    /// <summary>First prime.</summary>
    public int P { get; }

    /// <summary>Second prime.</summary>
    public int Q { get; }

    /// <summary>Modulus.</summary>
    public int N { get; }

    /// <summary>Public exponent.</summary>
    public int E { get; }

    /// <summary>Private exponent.</summary>
    public int D { get; }

    /// <summary>The 9-bit primes (257..509) the seeds drew their keys from.</summary>
    private static readonly int[] NineBitPrimes = Enumerable.Range(257, 255).Where(IsPrime).ToArray();

    /// <summary>A key from two random distinct 9-bit primes (257..509).</summary>
    public static ClassroomRsa Generate()
    {
        var primes = NineBitPrimes;
        int p, q;
        do
        {
            p = primes[RandomNumberGenerator.GetInt32(primes.Length)];
            q = primes[RandomNumberGenerator.GetInt32(primes.Length)];
        }
        while (p == q);

        return FromPrimes(p, q);
    }

    /// <summary>
    /// A key whose two distinct 9-bit primes are picked by two seed bytes: how the classroom record
    /// layer turns derived key material into the seeds' MAC key (both ends derive the same key).
    /// </summary>
    internal static ClassroomRsa FromSeed(byte first, byte second)
    {
        var p = NineBitPrimes[first % NineBitPrimes.Length];
        var q = NineBitPrimes[second % NineBitPrimes.Length];
        if (p == q)
        {
            q = NineBitPrimes[(Array.IndexOf(NineBitPrimes, p) + 1) % NineBitPrimes.Length];
        }

        return FromPrimes(p, q);
    }

    /// <summary>A key from given primes (e = smallest odd exponent ≥ 3 coprime to φ).</summary>
    public static ClassroomRsa FromPrimes(int p, int q)
    {
        long phi = (long)(p - 1) * (q - 1);
        var e = 3;
        while (Gcd(e, phi) != 1)
        {
            e += 2;
        }

        return new ClassroomRsa(p, q, e, (int)ModInverse(e, phi));
    }

    /// <summary>m^d mod n (m &lt; n).</summary>
    public int Sign(int message) => ClassroomDh.ModPow(message, D, N);

    /// <summary>
    /// s^e mod n == m, for a signature in [0, n) as <see cref="Sign"/> writes it: any other value of the field would be a
    /// second encoding of the same signature (s + k·n), which a receiver has no reason to accept.
    /// </summary>
    public bool Verify(int message, int signature) =>
        signature >= 0 && signature < N && ClassroomDh.ModPow(signature, E, N) == message % N;

    /// <summary>Recovers the primes from n by trial division: the attack.</summary>
    public static (int P, int Q) Factor(int n)
    {
        for (var f = 3; (long)f * f <= n; f += 2)
        {
            if (n % f == 0)
            {
                return (f, n / f);
            }
        }

        return (1, n);
    }

    private static bool IsPrime(int n)
    {
        if (n % 2 == 0)
        {
            return false;
        }

        for (var f = 3; f * f <= n; f += 2)
        {
            if (n % f == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    private static long ModInverse(long a, long m)
    {
        long t = 0, newT = 1, r = m, newR = a;
        while (newR != 0)
        {
            var quotient = r / newR;
            (t, newT) = (newT, t - (quotient * newT));
            (r, newR) = (newR, r - (quotient * newR));
        }

        return t < 0 ? t + m : t;
    }
}
