using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;

namespace SecureActors.Protocol.Records;

/// <summary>
/// One direction's current traffic secret and what derives from it:
/// <c>key = Expand-Label(s, "key", "", 16|32)</c>, <c>iv = Expand-Label(s, "iv", "", 12)</c>, and on
/// KeyUpdate <c>s' = Expand-Label(s, "traffic upd", "", H)</c>. The previous secret is zeroed at once.
/// </summary>
internal sealed class TrafficSecret : IDisposable
{
    private readonly SuiteParameters _suite;
    private readonly byte[] _secret;
    private readonly byte[] _iv = new byte[SuiteParameters.IvLength];

    // The current record's nonce. Kept here rather than on each caller's stack so the per-record
    // seal and open paths need no stackalloc (and its stack-cookie check); one TrafficSecret
    // belongs to one sealer or opener, which is single-threaded.
    private readonly byte[] _nonce = new byte[SuiteParameters.IvLength];
    private readonly Action<string>? _securityWarning;

    /// <param name="suite">The negotiated suite.</param>
    /// <param name="secret">The traffic secret (copied).</param>
    /// <param name="securityWarning">Raised on every record by the insecure classroom suite; unused otherwise.</param>
    public TrafficSecret(SuiteParameters suite, ReadOnlySpan<byte> secret, Action<string>? securityWarning = null)
    {
        _suite = suite;
        _securityWarning = securityWarning;
        _secret = secret.ToArray();
        Cipher = CreateCipher();
    }

    public AeadCipher Cipher { get; private set; }

    public ReadOnlySpan<byte> Iv => _iv;

    public SuiteParameters Suite => _suite;

    /// <summary>Moves to the next generation; the old key and IV are gone afterwards.</summary>
    public void Update()
    {
        Span<byte> next = stackalloc byte[_suite.HashLength];
        try
        {
            KeySchedule.ExpandLabel(_suite.Hash, _secret, "traffic upd", ReadOnlySpan<byte>.Empty, next);
            next.CopyTo(_secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(next);
        }

        Cipher.Dispose();
        Cipher = CreateCipher();
    }

    /// <summary>nonce = iv XOR (0^32 ‖ seq_be64).</summary>
    public void ComputeNonce(ulong sequence, Span<byte> nonce)
    {
        // The first 4 bytes are the iv's; the last 8 are one big-endian u64 XOR seq.
        _iv.CopyTo(nonce);
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], BinaryPrimitives.ReadUInt64BigEndian(_iv.AsSpan(4)) ^ sequence);
    }

    /// <summary>The nonce for <paramref name="sequence"/>, valid until the next call.</summary>
    public ReadOnlySpan<byte> Nonce(ulong sequence)
    {
        ComputeNonce(sequence, _nonce);
        return _nonce;
    }

    public void Dispose()
    {
        Cipher.Dispose();
        CryptographicOperations.ZeroMemory(_secret);
        CryptographicOperations.ZeroMemory(_iv);
        CryptographicOperations.ZeroMemory(_nonce);
    }

    private AeadCipher CreateCipher()
    {
        Span<byte> key = stackalloc byte[_suite.KeyLength];
        try
        {
            KeySchedule.ExpandLabel(_suite.Hash, _secret, "key", ReadOnlySpan<byte>.Empty, key);
            KeySchedule.ExpandLabel(_suite.Hash, _secret, "iv", ReadOnlySpan<byte>.Empty, _iv);
            return _suite.CreateCipher(key, _securityWarning);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
