using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;

namespace SecureActors.Protocol.Classroom;

/// <summary>
/// INSECURE, teaching only: the classroom suite's record protection, the seed projects' 4-byte
/// block cipher and 16-bit-hash RSA "MAC" behind the <see cref="AeadCipher"/> shape, so the
/// classroom suite runs through the ordinary <see cref="Records.RecordSealer"/>,
/// <see cref="Records.RecordOpener"/> and <see cref="Records.SecureChannel"/>. Every seal and open
/// raises the security warning.
/// <code>
/// key material (6 bytes, Expand-Label(s, "key", "", 6)):
///   k[0..4)  u32 block-cipher key        k[4], k[5]  pick the two 9-bit RSA primes
/// P = content ‖ inner_type   (n bytes; the nonce, i.e. the sequence number, is ignored, as in the seeds)
/// C = ClassroomCipher.Encrypt(P)          n + pad bytes, pad = 4 − (n mod 4) ∈ 1..4, ECB
/// record body = C[0..n) ‖ tag[16]
/// tag = C[n..n+pad) ‖ 0x00 × (12 − pad) ‖ u32 mac,  mac = RSA-sign(Hash16(P) mod N)
/// </code>
/// The nonce and the AAD are not used, exactly like the seeds: records can be replayed, reordered
/// and their headers changed, and equal blocks encrypt equally.
/// </summary>
internal sealed class ClassroomRecordCipher : AeadCipher
{
    /// <summary>Bytes of key material the classroom suite derives per traffic secret.</summary>
    public const int KeyMaterialLength = 6;

    private const int TagLength = 16;
    private const int MacOffset = TagLength - 4;
    private readonly ClassroomCipher _cipher;
    private readonly ClassroomRsa _rsa;
    private readonly Action<string>? _warning;

    public ClassroomRecordCipher(ReadOnlySpan<byte> key, Action<string>? warning)
    {
        if (key.Length != KeyMaterialLength)
        {
            throw new ArgumentException($"the classroom suite needs {KeyMaterialLength} bytes of key material", nameof(key));
        }

        _cipher = new ClassroomCipher(BinaryPrimitives.ReadUInt32BigEndian(key));
        _rsa = ClassroomRsa.FromSeed(key[4], key[5]);
        _warning = warning;
    }

    public override void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        _warning?.Invoke(ClassroomSuite.Warning);
        var mac = ClassroomMac.Compute(_rsa, plaintext);
        var blocks = _cipher.Encrypt(plaintext);
        var n = plaintext.Length;
        tag.Clear();
        blocks.AsSpan(0, n).CopyTo(ciphertext);
        blocks.AsSpan(n).CopyTo(tag);
        BinaryPrimitives.WriteInt32BigEndian(tag[MacOffset..], mac);
    }

    public override bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        _warning?.Invoke(ClassroomSuite.Warning);
        var n = ciphertext.Length;
        var pad = 4 - (n % 4);
        if (tag.Length != TagLength || tag[pad..MacOffset].ContainsAnyExcept((byte)0))
        {
            plaintext.Clear();
            return false;
        }

        var blocks = new byte[n + pad];
        ciphertext.CopyTo(blocks);
        tag[..pad].CopyTo(blocks.AsSpan(n));
        var decrypted = _cipher.Decrypt(blocks);
        if (decrypted is null || decrypted.Length != n || !ClassroomMac.Verify(_rsa, decrypted, BinaryPrimitives.ReadInt32BigEndian(tag[MacOffset..])))
        {
            plaintext.Clear();
            return false;
        }

        decrypted.CopyTo(plaintext);
        CryptographicOperations.ZeroMemory(decrypted);
        return true;
    }

    public override void Dispose()
    {
    }
}
