using SecureActors.Hocon;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;

namespace SecureActors.Client;

/// <summary>
/// How a <see cref="SecureClient"/> connects: target, identity, server trust, algorithms and deadlines.
/// Every default comes from the library's embedded <c>reference.conf</c> (section <c>client</c>); start
/// from <see cref="Default"/> or <see cref="FromConfig"/> and change what you need with <c>with { … }</c>.
/// </summary>
public sealed record SecureClientOptions
{
    private SecureClientOptions()
    {
    }

    /// <summary>The library's embedded defaults (every client and load-client key).</summary>
    public static Config ReferenceConfig { get; } = ConfigFactory.LoadReference(typeof(SecureClientOptions).Assembly);

    /// <summary>The options of the embedded <c>reference.conf</c>.</summary>
    public static SecureClientOptions Default { get; } = FromConfig(ReferenceConfig);

    /// <summary>Server host name or address.</summary>
    public string Host { get; init; } = "";

    /// <summary>Server TCP port.</summary>
    public int Port { get; init; }

    /// <summary>PKCS#8 PEM file with the client's RSA key; null for an anonymous client. Ignored when <see cref="Identity"/> is set.</summary>
    public string? IdentityKeyPath { get; init; }

    /// <summary>An already loaded client key (shared, not disposed by the client). Takes precedence over <see cref="IdentityKeyPath"/>.</summary>
    public LocalIdentity? Identity { get; init; }

    /// <summary>The known_hosts file (<c>~/</c> expands to the home directory).</summary>
    public string KnownHostsPath { get; init; } = "";

    /// <summary>What to do with a server not yet in <see cref="KnownHostsPath"/>.</summary>
    public HostKeyCheckMode KnownHostsMode { get; init; }

    /// <summary>A <c>SHA256:…</c> fingerprint the server must present; when set, known_hosts is not consulted.</summary>
    public string? ServerFingerprint { get; init; }

    /// <summary>A custom trust policy; when set it replaces both <see cref="ServerFingerprint"/> and known_hosts.</summary>
    public IServerTrust? ServerTrust { get; init; }

    /// <summary>AEAD suites offered, in preference order.</summary>
    public IReadOnlyList<CipherSuite> Suites { get; init; } = [];

    /// <summary>Key-exchange groups offered, in preference order.</summary>
    public IReadOnlyList<NamedGroup> Groups { get; init; } = [];

    /// <summary>Groups a key share is sent for in the first ClientHello (at most 2, each in <see cref="Groups"/>).</summary>
    public IReadOnlyList<NamedGroup> KeyShareGroups { get; init; } = [];

    /// <summary>TCP connect deadline.</summary>
    public TimeSpan ConnectTimeout { get; init; }

    /// <summary>Handshake deadline, from TCP connected to session established.</summary>
    public TimeSpan HandshakeTimeout { get; init; }

    /// <summary>Deadline for one reply; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</summary>
    public TimeSpan RequestTimeout { get; init; }

    /// <summary>How long <see cref="SecureClient.CloseAsync"/> waits for outstanding replies and the server's close_notify.</summary>
    public TimeSpan CloseTimeout { get; init; }

    /// <summary>
    /// How many times <see cref="SecureClient.ConnectAsync(SecureClientOptions, CancellationToken)"/> connects
    /// again after the server refused with server_busy (at capacity), before it raises
    /// <see cref="ServerBusyException"/>; 0 disables the retries. Only that refusal is retried.
    /// </summary>
    public int BusyRetries { get; init; }

    /// <summary>
    /// Nominal wait before the first busy retry; each further retry doubles it up to
    /// <see cref="BusyBackoffMax"/>, and each wait is jittered to between half and all of its nominal value.
    /// </summary>
    public TimeSpan BusyBackoff { get; init; }

    /// <summary>Cap on any single busy-retry wait.</summary>
    public TimeSpan BusyBackoffMax { get; init; }

    /// <summary>Largest message accepted from the server (announced in the handshake).</summary>
    public int MaxMessageSize { get; init; }

    /// <summary>Server-pushed messages buffered before the oldest is dropped.</summary>
    public int PushBufferCapacity { get; init; }

    /// <summary>Offer the insecure classroom suite (teaching only; the server must enable it too).</summary>
    public bool EnableClassroom { get; init; }

    /// <summary>
    /// Ask for per-message RSA signatures (non-repudiation, PROTOCOL.md §12). Used only if the server
    /// enables them too; then requests are signed with the client's key and every reply and push must
    /// carry the server's signature. Needs <see cref="Identity"/> or <see cref="IdentityKeyPath"/>.
    /// </summary>
    public bool MessageSignatures { get; init; }

    /// <summary>Offer message batching (PROTOCOL.md §8.7); in use only when the server accepts it.</summary>
    public bool MessageBatching { get; init; } = true;

    /// <summary>Called with a loud warning whenever something insecure is negotiated.</summary>
    public Action<string>? SecurityWarning { get; init; }

    /// <summary>Binds the <c>client</c> section of <paramref name="config"/> (layer user files over <see cref="ReferenceConfig"/> first).</summary>
    public static SecureClientOptions FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = new SettingsSection(config.GetConfig("client"), "client");
        var connect = c.Section("connect");
        var busyBackoff = connect.Duration("busy-backoff");
        var busyBackoffMax = connect.Duration("busy-backoff-max");
        if (busyBackoffMax < busyBackoff)
        {
            throw connect.Invalid("busy-backoff-max", $"must be at least client.connect.busy-backoff ({busyBackoff})");
        }

        return new SecureClientOptions
        {
            Host = c.String("host"),
            Port = c.Int("port", 1, 65535),
            IdentityKeyPath = NullIfEmpty(c.String("identity-key")),
            KnownHostsPath = c.String("known-hosts"),
            KnownHostsMode = c.String("known-hosts-mode") switch
            {
                "strict" => HostKeyCheckMode.Strict,
                "accept-new" => HostKeyCheckMode.AcceptNew,
                _ => throw c.Invalid("known-hosts-mode", "is not strict or accept-new"),
            },
            ServerFingerprint = NullIfEmpty(c.String("server-fingerprint")),
            Suites = [.. c.StringList("cipher-suites").Select(name => ParseEnum<CipherSuite>(name, c, "cipher-suites"))],
            Groups = [.. c.StringList("groups").Select(name => ParseEnum<NamedGroup>(name, c, "groups"))],
            KeyShareGroups = [.. c.StringList("key-share-groups").Select(name => ParseEnum<NamedGroup>(name, c, "key-share-groups"))],
            ConnectTimeout = c.Duration("connect-timeout"),
            HandshakeTimeout = c.Duration("handshake-timeout"),
            RequestTimeout = c.Duration("request-timeout", allowInfinite: true),
            CloseTimeout = c.Duration("close-timeout"),
            BusyRetries = connect.Int("busy-retries", 0),
            BusyBackoff = busyBackoff,
            BusyBackoffMax = busyBackoffMax,
            MaxMessageSize = (int)c.ByteSize("max-message-size", 1, int.MaxValue),
            PushBufferCapacity = c.Int("push-buffer", 1),
            EnableClassroom = c.Boolean("enable-classroom"),
            MessageSignatures = c.Boolean("message-signatures"),
            MessageBatching = c.Boolean("message-batching"),
        };
    }

    /// <summary>The protocol options these settings amount to (validated).</summary>
    /// <exception cref="ArgumentException">The settings contradict each other (e.g. message signatures without a client key).</exception>
    public ProtocolOptions ToProtocolOptions()
    {
        if (MessageSignatures && Identity is null && IdentityKeyPath is null)
        {
            throw new ArgumentException("client.message-signatures = on needs a client key (client.identity-key): requests are signed with it");
        }

        var options = ProtocolOptions.Default with
        {
            CipherSuites = Suites,
            Groups = Groups,
            KeyShareGroups = KeyShareGroups,
            MaxMessageSize = MaxMessageSize,
            EnableClassroom = EnableClassroom,
            MessageSignatures = MessageSignatures,
            MessageBatching = MessageBatching,
            SecurityWarning = SecurityWarning,
        };
        options.Validate();
        return options;
    }

    /// <summary>Parses a suite or group name as written in HOCON (<c>aes128-gcm-sha256</c>, <c>secp256r1</c>), ignoring case and dashes.</summary>
    private static T ParseEnum<T>(string name, SettingsSection section, string key)
        where T : struct, Enum
    {
        return AlgorithmNames.TryParse<T>(name, out var value)
            ? value
            : throw section.Invalid(key, $"holds '{name}', which is not one of {string.Join(", ", Enum.GetNames<T>().Select(ToKebab))}");
    }

    internal static string ToKebab(string enumName) =>
        string.Concat(enumName.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    /// <summary>Expands a leading <c>~/</c> to the user's home directory, as the trust and key files allow.</summary>
    internal static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : path;

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
