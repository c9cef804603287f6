using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SecureActors.Server.Tests.Hostile;

/*
 * The hostile peer's own SAP/1 key schedule and record protection (PROTOCOL.md §7–8), written
 * independently of SecureActors.Protocol so the peer can seal what the library never would
 * (all-zero plaintext, padding, a stale key, a replayed sequence number) and so the server is
 * checked against a second implementation of the spec rather than against itself.
 *
 *   Expand-Label(S, L, C, n) = HKDF-Expand(S, u16 n ‖ u8 len ‖ "sap1 " + L ‖ u8 len ‖ C, n)
 *   record = 17 ‖ u16 len ‖ AEAD(key, iv XOR seq, aad = header, content ‖ type ‖ 0x00*pad) ‖ tag
 */

/// <summary>Hash, key length and AEAD of one negotiated suite.</summary>
internal sealed record PeerSuite(ushort Code, HashAlgorithmName Hash, int HashLength, int KeyLength)
{
    public static PeerSuite For(ushort code) => code switch
    {
        0x1301 => new(code, HashAlgorithmName.SHA256, 32, 16),
        0x1302 => new(code, HashAlgorithmName.SHA384, 48, 32),
        0x1303 => new(code, HashAlgorithmName.SHA256, 32, 32),
        _ => throw new InvalidOperationException($"server chose suite 0x{code:x4}, which the peer does not implement"),
    };

    public byte[] ExpandLabel(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length)
    {
        var fullLabel = Encoding.ASCII.GetBytes("sap1 " + label);
        var info = new byte[2 + 1 + fullLabel.Length + 1 + context.Length];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)length);
        info[2] = (byte)fullLabel.Length;
        fullLabel.CopyTo(info, 3);
        info[3 + fullLabel.Length] = (byte)context.Length;
        context.CopyTo(info.AsSpan(4 + fullLabel.Length));
        var output = new byte[length];
        HKDF.Expand(Hash, secret, output, info);
        return output;
    }

    public byte[] Extract(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm)
    {
        var prk = new byte[HashLength];
        HKDF.Extract(Hash, ikm, salt, prk);
        return prk;
    }

    public byte[] HashOf(ReadOnlySpan<byte> data) => CryptographicOperations.HashData(Hash, data);

    public byte[] DeriveSecret(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash) =>
        ExpandLabel(secret, label, transcriptHash, HashLength);

    public byte[] Finished(ReadOnlySpan<byte> trafficSecret, ReadOnlySpan<byte> transcriptHash) =>
        CryptographicOperations.HmacData(Hash, ExpandLabel(trafficSecret, "finished", [], HashLength), transcriptHash);
}

/// <summary>One direction's traffic keys with their sequence number; <see cref="Update"/> is KeyUpdate.</summary>
internal sealed class PeerTrafficKeys
{
    private readonly PeerSuite _suite;
    private byte[] _secret;
    private byte[] _key = [];
    private byte[] _iv = [];

    public PeerTrafficKeys(PeerSuite suite, byte[] secret)
    {
        _suite = suite;
        _secret = secret;
        Derive();
    }

    public ulong Sequence { get; set; }

    public byte[] Secret => _secret;

    public PeerTrafficKeys Clone() => new(_suite, _secret) { Sequence = Sequence };

    public void Update()
    {
        _secret = _suite.ExpandLabel(_secret, "traffic upd", [], _suite.HashLength);
        Derive();
        Sequence = 0;
    }

    /// <summary>Seals <c>content ‖ type ‖ 0x00 × padding</c> at the next sequence number.</summary>
    public byte[] Seal(ReadOnlySpan<byte> content, byte innerType, int padding = 0)
    {
        var plaintext = new byte[content.Length + 1 + padding];
        content.CopyTo(plaintext);
        plaintext[content.Length] = innerType;
        return SealPlaintext(plaintext);
    }

    /// <summary>Seals the plaintext exactly as given (no inner type added: all-zero plaintext and the like).</summary>
    public byte[] SealPlaintext(ReadOnlySpan<byte> plaintext)
    {
        var record = new byte[3 + plaintext.Length + 16];
        record[0] = 0x17;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(1), (ushort)(plaintext.Length + 16));
        var nonce = Nonce(Sequence++);
        using var aead = CreateAead();
        Encrypt(aead, nonce, plaintext, record.AsSpan(3, plaintext.Length), record.AsSpan(3 + plaintext.Length, 16), record.AsSpan(0, 3));
        return record;
    }

    /// <summary>Opens a whole record (header ‖ body); null when authentication fails.</summary>
    public (byte Type, byte[] Content)? Open(ReadOnlySpan<byte> record)
    {
        if (record.Length < 3 + 1 + 16)
        {
            return null;
        }

        var body = record[3..];
        var plaintext = new byte[body.Length - 16];
        using var aead = CreateAead();
        try
        {
            Decrypt(aead, Nonce(Sequence), body[..^16], body[^16..], plaintext, record[..3]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        Sequence++;
        var last = plaintext.AsSpan().LastIndexOfAnyExcept((byte)0);
        return last < 0 ? ((byte)0, []) : (plaintext[last], plaintext[..last]);
    }

    private static void Encrypt(IDisposable aead, byte[] nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        if (aead is AesGcm gcm)
        {
            gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        }
        else
        {
            ((ChaCha20Poly1305)aead).Encrypt(nonce, plaintext, ciphertext, tag, aad);
        }
    }

    private static void Decrypt(IDisposable aead, byte[] nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        if (aead is AesGcm gcm)
        {
            gcm.Decrypt(nonce, ciphertext, tag, plaintext, aad);
        }
        else
        {
            ((ChaCha20Poly1305)aead).Decrypt(nonce, ciphertext, tag, plaintext, aad);
        }
    }

    private IDisposable CreateAead() => _suite.Code == 0x1303 ? new ChaCha20Poly1305(_key) : new AesGcm(_key, 16);

    private byte[] Nonce(ulong sequence)
    {
        var nonce = (byte[])_iv.Clone();
        for (var i = 0; i < 8; i++)
        {
            nonce[11 - i] ^= (byte)(sequence >> (8 * i));
        }

        return nonce;
    }

    private void Derive()
    {
        _key = _suite.ExpandLabel(_secret, "key", [], _suite.KeyLength);
        _iv = _suite.ExpandLabel(_secret, "iv", [], 12);
    }
}
