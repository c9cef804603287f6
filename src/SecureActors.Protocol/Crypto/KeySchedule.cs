using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace SecureActors.Protocol.Crypto;

/// <summary>
/// The RFC 8446 §7.1 HKDF primitives with SAP/1's "sap1 " label prefix.
/// <code>
/// HkdfLabel = length u16 ‖ label_len u8 ‖ "sap1 " + label ‖ context_len u8 ‖ context
/// Expand-Label(S, L, C, n) = HKDF-Expand(S, HkdfLabel(n, L, C), n)
/// Derive-Secret(S, L, M)   = Expand-Label(S, L, TH(M), H)
/// </code>
/// </summary>
internal static class KeySchedule
{
    private static readonly ConcurrentDictionary<HashAlgorithmName, byte[]> EmptyHashes = new();

    private static readonly ConcurrentDictionary<HashAlgorithmName, byte[]> HandshakeSalts = new();

    private static ReadOnlySpan<byte> LabelPrefix => "sap1 "u8;

    public static void Extract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, Span<byte> prk) =>
        HKDF.Extract(hash, ikm, salt, prk);

    public static void ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, Span<byte> output)
    {
        var labelLength = LabelPrefix.Length + Encoding.ASCII.GetByteCount(label);
        if (labelLength > 255 || context.Length > 255)
        {
            throw new ArgumentException("label or context longer than 255 bytes");
        }

        // 2 + 1 + label + 1 + context ≤ 514 bytes: fits on the stack.
        Span<byte> info = stackalloc byte[2 + 1 + labelLength + 1 + context.Length];
        var offset = 0;
        BinaryPrimitives.WriteUInt16BigEndian(info, checked((ushort)output.Length));
        offset += 2;
        info[offset++] = (byte)labelLength;
        LabelPrefix.CopyTo(info[offset..]);
        offset += LabelPrefix.Length;
        offset += Encoding.ASCII.GetBytes(label, info[offset..]);
        info[offset++] = (byte)context.Length;
        context.CopyTo(info[offset..]);
        HKDF.Expand(hash, secret, output, info);
    }

    public static void DeriveSecret(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash, Span<byte> output) =>
        ExpandLabel(hash, secret, label, transcriptHash, output);

    /// <summary>Derive-Secret(S, L, "") where the transcript is empty: the context is Hash("").</summary>
    public static void DeriveSecretEmpty(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, Span<byte> output) =>
        DeriveSecret(hash, secret, label, EmptyHashes.GetOrAdd(hash, ComputeEmptyHash), output);

    /// <summary>
    /// Derive-Secret(early, "derived", "") with early = Extract(0^H, 0^H): the salt of every handshake secret. It
    /// depends on nothing but the hash (it is public, not a secret), so it is computed once per hash instead of with
    /// three OpenSSL round trips in every handshake. Callers must not write to it.
    /// </summary>
    public static ReadOnlySpan<byte> HandshakeSalt(HashAlgorithmName hash) => HandshakeSalts.GetOrAdd(hash, ComputeHandshakeSalt);

    private static byte[] ComputeEmptyHash(HashAlgorithmName hash)
    {
        Span<byte> digest = stackalloc byte[64];
        return digest[..HashEmpty(hash, digest)].ToArray();
    }

    private static byte[] ComputeHandshakeSalt(HashAlgorithmName hash)
    {
        var length = EmptyHashes.GetOrAdd(hash, ComputeEmptyHash).Length;
        Span<byte> zeros = stackalloc byte[length];
        zeros.Clear();
        Span<byte> early = stackalloc byte[length];
        Extract(hash, zeros, zeros, early);
        var salt = new byte[length];
        DeriveSecretEmpty(hash, early, "derived", salt);
        return salt;
    }

    public static int HashEmpty(HashAlgorithmName hash, Span<byte> destination)
    {
        if (hash == HashAlgorithmName.SHA384)
        {
            return SHA384.HashData(ReadOnlySpan<byte>.Empty, destination);
        }

        return hash == HashAlgorithmName.SHA512
            ? SHA512.HashData(ReadOnlySpan<byte>.Empty, destination)
            : SHA256.HashData(ReadOnlySpan<byte>.Empty, destination);
    }

    /// <summary>The HMAC over a transcript hash that proves possession of a finished_key.</summary>
    public static void ComputeFinished(HashAlgorithmName hash, ReadOnlySpan<byte> baseSecret, ReadOnlySpan<byte> transcriptHash, Span<byte> verifyData)
    {
        Span<byte> finishedKey = stackalloc byte[verifyData.Length];
        try
        {
            ExpandLabel(hash, baseSecret, "finished", ReadOnlySpan<byte>.Empty, finishedKey);
            if (hash == HashAlgorithmName.SHA384)
            {
                HMACSHA384.HashData(finishedKey, transcriptHash, verifyData);
            }
            else
            {
                HMACSHA256.HashData(finishedKey, transcriptHash, verifyData);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(finishedKey);
        }
    }
}
