namespace SecureActors.Protocol.Crypto;

/// <summary>
/// Suite and group names as configuration files write them (<c>aes128-gcm-sha256</c>, <c>secp256r1</c>): case,
/// dashes and underscores are ignored, so server and client read the same spelling the same way.
/// </summary>
public static class AlgorithmNames
{
    /// <summary>Parses <paramref name="name"/> as a member of <typeparamref name="T"/> (such as <see cref="CipherSuite"/> or <see cref="NamedGroup"/>).</summary>
    public static bool TryParse<T>(string name, out T value)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return Enum.TryParse(normalized, ignoreCase: true, out value) && Enum.IsDefined(value);
    }
}
