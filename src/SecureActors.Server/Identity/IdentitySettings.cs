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
    public static IdentitySettings FromConfig(SettingsSection identity, SettingsSection clientAuth, SettingsSection protocol)
    {
        var policy = clientAuth.String("policy").Trim().ToLowerInvariant() switch
        {
            "none" => ClientAuthPolicy.None,
            "optional" => ClientAuthPolicy.Optional,
            "required" => ClientAuthPolicy.Required,
            _ => throw clientAuth.Invalid("policy", "is not none, optional or required"),
        };

        var keyUpdate = protocol.Section("key-update");
        var options = ProtocolOptions.Default with
        {
            CipherSuites = [.. protocol.StringList("cipher-suites").Select(name => ParseEnum<CipherSuite>(name, protocol, "cipher-suites"))],
            Groups = [.. protocol.StringList("groups").Select(name => ParseEnum<NamedGroup>(name, protocol, "groups"))],
            MaxMessageSize = (int)protocol.ByteSize("max-message-size", 1, int.MaxValue),
            EnableClassroom = protocol.Boolean("classroom"),
            MessageBatching = protocol.Boolean("message-batching"),
            KeyUpdateAfterRecords = keyUpdate.Long("after-records", 1),
            KeyUpdateAfterBytes = keyUpdate.ByteSize("after-bytes", 1),
            KeyUpdateInterval = keyUpdate.Duration("interval"),
            ClientAuthentication = policy,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            // The list rules (how many suites and groups, which may be listed together) are the protocol's own.
            throw protocol.Invalid(e.Message.Contains("roup", StringComparison.Ordinal) ? "groups" : "cipher-suites", $"is refused: {e.Message}");
        }

        return new IdentitySettings(
            ExpandHome(identity.String("key-file")),
            identity.Int("key-bits", RsaKeyPolicy.MinModulusBits, RsaKeyPolicy.MaxModulusBits),
            policy,
            ExpandHome(clientAuth.String("authorized-clients")),
            options);
    }

    /// <summary>Expands a leading <c>~/</c> to the user's home directory.</summary>
    public static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private static T ParseEnum<T>(string name, SettingsSection section, string key)
        where T : struct, Enum
    {
        return AlgorithmNames.TryParse<T>(name, out var value)
            ? value
            : throw section.Invalid(key, $"holds '{name}', which is not a known {(typeof(T) == typeof(CipherSuite) ? "cipher suite" : "group")}");
    }
}
