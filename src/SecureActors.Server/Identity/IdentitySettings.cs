using SecureActors.Hocon;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;

namespace SecureActors.Server.Identity;

/// <summary><c>server.identity</c>, <c>server.client-auth</c> and <c>server.protocol</c>.</summary>
internal sealed record IdentitySettings(
    string KeyFile,
    int KeyBits,
    ClientAuthPolicy ClientAuth,
    string AuthorizedClientsFile,
    ProtocolOptions Protocol)
{
    public static IdentitySettings FromConfig(Config identity, Config clientAuth, Config protocol)
    {
        var policy = clientAuth.GetString("policy").Trim().ToLowerInvariant() switch
        {
            "none" => ClientAuthPolicy.None,
            "optional" => ClientAuthPolicy.Optional,
            "required" => ClientAuthPolicy.Required,
            var other => throw new ConfigException($"server.client-auth.policy: '{other}' is not none, optional or required"),
        };

        var options = ProtocolOptions.Default with
        {
            CipherSuites = [.. protocol.GetStringList("cipher-suites").Select(ParseSuite)],
            Groups = [.. protocol.GetStringList("groups").Select(ParseGroup)],
            MaxMessageSize = checked((int)protocol.GetByteSize("max-message-size")),
            EnableClassroom = protocol.GetBoolean("classroom"),
            MessageBatching = protocol.GetBoolean("message-batching"),
            KeyUpdateAfterRecords = protocol.GetLong("key-update.after-records"),
            KeyUpdateAfterBytes = protocol.GetByteSize("key-update.after-bytes"),
            KeyUpdateInterval = protocol.GetTimeSpan("key-update.interval"),
            ClientAuthentication = policy,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"server.protocol: {e.Message}");
        }

        return new IdentitySettings(
            ExpandHome(identity.GetString("key-file")),
            identity.GetInt("key-bits"),
            policy,
            ExpandHome(clientAuth.GetString("authorized-clients")),
            options);
    }

    /// <summary>Expands a leading <c>~/</c> to the user's home directory.</summary>
    public static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private static CipherSuite ParseSuite(string name) => ParseEnum<CipherSuite>(name, "server.protocol.cipher-suites");

    private static NamedGroup ParseGroup(string name) => ParseEnum<NamedGroup>(name, "server.protocol.groups");

    // Names as HOCON writes them (aes128-gcm-sha256, secp256r1): case and dashes are ignored, as the client does.
    private static T ParseEnum<T>(string name, string path)
        where T : struct, Enum
    {
        var normalized = name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return Enum.TryParse<T>(normalized, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ConfigException($"{path}: unknown {typeof(T).Name} '{name}'");
    }
}
