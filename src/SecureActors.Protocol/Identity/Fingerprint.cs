using System.Security.Cryptography;

namespace SecureActors.Protocol.Identity;

/// <summary>OpenSSH-style key fingerprints: <c>SHA256:</c> + unpadded base64 of SHA-256(SPKI DER).</summary>
public static class Fingerprint
{
    /// <summary>The prefix of every fingerprint.</summary>
    public const string Prefix = "SHA256:";

    /// <summary>Computes the fingerprint of a DER SubjectPublicKeyInfo.</summary>
    public static string Of(ReadOnlySpan<byte> spki)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(spki, digest);
        return Prefix + Convert.ToBase64String(digest).TrimEnd('=');
    }

    /// <summary>Whether two fingerprints are the same (ordinal; fingerprints are public values).</summary>
    public static bool AreEqual(string a, string b) => string.Equals(a, b, StringComparison.Ordinal);
}
