using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace SecureActors.Protocol.Crypto;

/// <summary>
/// The two AEADs behind one shape, so the record layer has a single code path. Both take a
/// 12-byte nonce and a 16-byte tag.
/// </summary>
/// <remarks>
/// The BCL has no non-throwing decrypt, so <see cref="TryDecrypt"/> catches the tag mismatch. The
/// BCL call itself sits in a separate non-inlined method: on 64-bit the JIT never inlines a
/// P/Invoke transition inside a try region, so a BCL decrypt inlined into the try would make each
/// of its native calls go through a marshalling stub (seen in profiles of the 64 B records).
/// </remarks>
internal abstract class AeadCipher : IDisposable
{
    public abstract void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad);

    /// <summary>Returns false for any authentication failure; the plaintext buffer is then cleared.</summary>
    public abstract bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad);

    public abstract void Dispose();
}

internal sealed class AesGcmCipher(ReadOnlySpan<byte> key) : AeadCipher
{
    private readonly AesGcm _aes = new(key, 16);

    public override void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad) =>
        _aes.Encrypt(nonce, plaintext, ciphertext, tag, aad);

    public override bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        try
        {
            Decrypt(_aes, nonce, ciphertext, tag, plaintext, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            // A failure is fatal to the connection, so this happens at most once per connection.
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
    }

    public override void Dispose() => _aes.Dispose();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Decrypt(AesGcm aes, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad) =>
        aes.Decrypt(nonce, ciphertext, tag, plaintext, aad);
}

internal sealed class ChaChaCipher(ReadOnlySpan<byte> key) : AeadCipher
{
    private readonly ChaCha20Poly1305 _chacha = new(key);

    public override void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad) =>
        _chacha.Encrypt(nonce, plaintext, ciphertext, tag, aad);

    public override bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        try
        {
            Decrypt(_chacha, nonce, ciphertext, tag, plaintext, aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
    }

    public override void Dispose() => _chacha.Dispose();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Decrypt(ChaCha20Poly1305 chacha, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad) =>
        chacha.Decrypt(nonce, ciphertext, tag, plaintext, aad);
}
