using System.Security.Cryptography;

namespace SecureActors.Protocol.Classroom;

/// <summary>
/// The seed projects' Diffie-Hellman: P = 65521, G = 3. Reproduced to be broken in class: the
/// whole group has 65,520 elements, so the secret falls to a loop (see the tests).
/// </summary>
public static class ClassroomDh
{
    /// <summary>The 16-bit prime modulus.</summary>
    public const int P = 65521;

    /// <summary>The generator.</summary>
    public const int G = 3;

    /// <summary>A random secret in [2, P−2].</summary>
    public static int GenerateSecret() => RandomNumberGenerator.GetInt32(2, P - 1);

    /// <summary>G^secret mod P.</summary>
    public static int PublicValue(int secret) => ModPow(G, secret, P);

    /// <summary>peer^secret mod P.</summary>
    public static int SharedSecret(int peerPublic, int secret) => ModPow(peerPublic, secret, P);

    /// <summary>Finds x with G^x = publicValue by trying every exponent: the attack.</summary>
    public static int BruteForce(int publicValue)
    {
        long value = 1;
        for (var x = 0; x < P; x++)
        {
            if (value == publicValue)
            {
                return x;
            }

            value = value * G % P;
        }

        return -1;
    }

    internal static int ModPow(long b, long e, long m)
    {
        long result = 1;
        b %= m;
        while (e > 0)
        {
            if ((e & 1) == 1)
            {
                result = result * b % m;
            }

            b = b * b % m;
            e >>= 1;
        }

        return (int)result;
    }
}
