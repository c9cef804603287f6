using System.Security.Cryptography;
using System.Text;

namespace SecureActors.Protocol.Crypto;

/// <summary>Hash choice and signed-content layout of the RSA-PSS schemes.</summary>
internal static class SignatureSchemes
{
    public const string ServerContext = "SecureActors v1, server signature";
    public const string ClientContext = "SecureActors v1, client signature";
    public const string MessageContext = "SecureActors v1, message signature";

    public static bool IsKnown(ushort value) => value is 0x0804 or 0x0805 or 0x0806;

    public static HashAlgorithmName HashOf(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.RsaPssRsaeSha256 => HashAlgorithmName.SHA256,
        SignatureScheme.RsaPssRsaeSha384 => HashAlgorithmName.SHA384,
        SignatureScheme.RsaPssRsaeSha512 => HashAlgorithmName.SHA512,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown scheme"),
    };

    /// <summary>
    /// The signed content (RFC 8446 §4.4.3 shape): <c>0x20 × 64 ‖ context ‖ 0x00 ‖ digest</c>.
    /// The 64 spaces make a prefix no other SAP/1 structure starts with; the context differs per
    /// role, so a server signature can never be replayed as a client one (reflection).
    /// </summary>
    public static byte[] BuildContent(string context, ReadOnlySpan<byte> digest)
    {
        var contextLength = Encoding.ASCII.GetByteCount(context);
        var content = new byte[64 + contextLength + 1 + digest.Length];
        content.AsSpan(0, 64).Fill(0x20);
        Encoding.ASCII.GetBytes(context, content.AsSpan(64));
        content[64 + contextLength] = 0;
        digest.CopyTo(content.AsSpan(64 + contextLength + 1));
        return content;
    }
}
