using SecureActors.Protocol.Crypto;

namespace SecureActors.Protocol.Identity;

/// <summary>Shared parsing of the <c>sap-rsa &lt;base64 SPKI&gt;</c> key field of known_hosts and authorized_clients.</summary>
internal static class TrustFileLine
{
    public const string KeyType = "sap-rsa";

    public static string[] Tokens(string line) => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public static bool IsBlankOrComment(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length == 0 || trimmed[0] == '#';
    }

    /// <summary>Decodes and checks the key; throws <see cref="KeyFileException"/> naming file:line.</summary>
    public static byte[] ParseKey(string type, string base64, string path, int line)
    {
        if (!string.Equals(type, KeyType, StringComparison.Ordinal))
        {
            throw Error(path, line, $"unknown key type '{type}' (expected {KeyType})");
        }

        byte[] spki;
        try
        {
            spki = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw Error(path, line, "key is not valid base64");
        }

        using var rsa = RsaKeyPolicy.TryImport(spki, out var failure);
        return rsa is null ? throw Error(path, line, $"unusable key: {failure!.Reason}") : spki;
    }

    public static KeyFileException Error(string path, int line, string message) => new($"{path}:{line}: {message}");
}
