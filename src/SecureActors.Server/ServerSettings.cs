using SecureActors.Hocon;
using SecureActors.Protocol.Handshake;
using SecureActors.Server.Crypto;
using SecureActors.Server.Handler;
using SecureActors.Server.Identity;
using SecureActors.Server.Listener;
using SecureActors.Server.Metrics;
using SecureActors.Server.Session;
using SecureActors.Server.Transport;

namespace SecureActors.Server;

/// <summary>Everything under <c>server</c> in the configuration, bound from the embedded reference.conf and its overrides.</summary>
public sealed record ServerSettings
{
    /// <summary>The configuration path the server reads.</summary>
    public const string Root = "server";

    private ServerSettings(Config server, Config full)
    {
        var section = new SettingsSection(server, Root);
        Host = section.String("host");
        Port = section.Int("port", 0, 65535);
        Backlog = section.Int("backlog", 1);
        BindRetries = section.Int("bind-retries", 0);
        BindRetryDelay = section.Duration("bind-retry-delay", zeroAllowed: true);
        ListenerMaxRestarts = section.Section("listener").Int("max-restarts", 0);
        ListenerRestartWindow = section.Section("listener").Duration("restart-window");
        Identity = WithMessageSignatures(
            IdentitySettings.FromConfig(section.Section("identity"), section.Section("client-auth"), section.Section("protocol")),
            server.GetConfig("protocol"));
        Limits = LimitSettings.FromConfig(section.Section("limits"));
        Session = SessionSettings.FromConfig(section.Section("session"));
        Transport = TransportSettings.FromConfig(section.Section("transport"));
        Handler = HandlerSettings.FromConfig(section.Section("handler"));
        Crypto = CryptoSettings.FromConfig(section.Section("testing"));
        DrainTimeout = section.Section("shutdown").Duration("drain-timeout", zeroAllowed: true);
        Stats = StatsSettings.FromConfig(section.Section("stats"));
        Config = full;
    }

    /// <summary>Address to bind.</summary>
    public string Host { get; init; }

    /// <summary>Port to bind (0 picks a free one).</summary>
    public int Port { get; init; }

    /// <summary>Listen backlog.</summary>
    public int Backlog { get; init; }

    /// <summary>Bind attempts after the first fails.</summary>
    public int BindRetries { get; init; }

    /// <summary>Delay between bind attempts.</summary>
    public TimeSpan BindRetryDelay { get; init; }

    /// <summary>How often the listener may recover from a failure of its own within <see cref="ListenerRestartWindow"/>.</summary>
    internal int ListenerMaxRestarts { get; init; }

    /// <summary>The window <see cref="ListenerMaxRestarts"/> counts in.</summary>
    internal TimeSpan ListenerRestartWindow { get; init; }

    /// <summary>Key file, client authentication and protocol options.</summary>
    internal IdentitySettings Identity { get; init; }

    /// <summary>Connection limits.</summary>
    internal LimitSettings Limits { get; init; }

    /// <summary>Per-session timers and bounds.</summary>
    internal SessionSettings Session { get; init; }

    /// <summary>Socket loop tuning.</summary>
    internal TransportSettings Transport { get; init; }

    /// <summary>Application handler choice and supervision.</summary>
    internal HandlerSettings Handler { get; init; }

    /// <summary>Crypto worker options.</summary>
    internal CryptoSettings Crypto { get; init; }

    /// <summary>How long in-flight replies may take to drain at shutdown.</summary>
    public TimeSpan DrainTimeout { get; init; }

    /// <summary>The periodic stats line.</summary>
    internal StatsSettings Stats { get; init; }

    /// <summary>The whole configuration (the actor system reads its own sections from it).</summary>
    public Config Config { get; init; }

    /// <summary>Binds the settings from a full configuration that contains the <c>server</c> section.</summary>
    public static ServerSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ServerSettings(config.GetConfig(Root), config);
    }

    /// <summary>
    /// Binds <c>server.protocol.message-signatures</c> (PROTOCOL.md §12). A client's messages are
    /// verified with the key it proves in the handshake, and under client-auth none no client ever
    /// sends one, so switching signatures on without client authentication is a configuration error
    /// rather than a server that signs its replies but can check nothing it receives.
    /// </summary>
    private static IdentitySettings WithMessageSignatures(IdentitySettings identity, Config protocol)
    {
        if (!protocol.GetBoolean("message-signatures"))
        {
            return identity;
        }

        if (identity.ClientAuth == ClientAuthPolicy.None)
        {
            throw new ConfigException(
                "server.protocol.message-signatures = on needs server.client-auth.policy = optional or required: "
                + "each client's messages are verified with the key it proves in its handshake");
        }

        return identity with { Protocol = identity.Protocol with { MessageSignatures = true } };
    }

    /// <summary>The server's reference.conf as embedded in this assembly.</summary>
    public static Config Reference => ConfigFactory.LoadReference(typeof(ServerSettings).Assembly);

    /// <summary>
    /// Settings under <c>server</c> that reference.conf does not define, each with where it was written: a misspelt or
    /// misplaced key (<c>server.protocol.client-auth</c>) would otherwise be ignored without a word. The crypto
    /// dispatcher's section is left out, since a dispatcher takes keys the server does not know of.
    /// </summary>
    public static IReadOnlyList<(string Path, ConfigOrigin Origin)> UnknownSettings(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var unknown = new List<(string, ConfigOrigin)>();
        if (config.HasPath("server") && config.GetValue("server") is HoconObject written && Reference.GetValue("server") is HoconObject known)
        {
            CollectUnknown(written, known, "server", unknown);
        }

        return unknown;
    }

    private static void CollectUnknown(HoconObject written, HoconObject known, string prefix, List<(string, ConfigOrigin)> unknown)
    {
        foreach (var (key, value) in written)
        {
            var path = prefix + "." + (key.Contains('.', StringComparison.Ordinal) ? $"\"{key}\"" : key);
            if (!known.TryGetValue(key, out var reference))
            {
                unknown.Add((path, value.Origin));
            }
            else if (value is HoconObject writtenSection && reference is HoconObject knownSection && path != CryptoSettings.DispatcherPath)
            {
                CollectUnknown(writtenSection, knownSection, path, unknown);
            }
        }
    }
}
