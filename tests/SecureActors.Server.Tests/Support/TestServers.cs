using SecureActors.Actors.Actor;
using SecureActors.Client;
using SecureActors.Hocon;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Hosting;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Support;

/// <summary>Starts servers on 127.0.0.1 with a free port, a shared 2048-bit test key and logs into the xunit output.</summary>
internal static class TestServers
{
    private const string BaseHocon = """
        server {
          host = "127.0.0.1"
          port = 0
          stats.enabled = off
        }
        """;

    private static readonly Lazy<LocalIdentity> SharedIdentity = new(() => LocalIdentity.Generate(2048));

    public static LocalIdentity Identity => SharedIdentity.Value;

    public static async Task<(SecureServer Server, XunitLogSink Log)> StartAsync(ITestOutputHelper? output, string hocon = "", SecureServerOptions? options = null)
    {
        var (logger, sink) = XunitLogSink.Create(output);
        var config = ConfigFactory.ParseString(BaseHocon + "\n" + hocon, "test");
        options = (options ?? new SecureServerOptions()) with { Logger = logger };
        if (options.Identity is null)
        {
            options = options with { Identity = Identity };
        }

        var server = await SecureServer.StartAsync(config, options).ConfigureAwait(false);
        return (server, sink);
    }

    public static SecureClientOptions ClientOptions(SecureServer server) => SecureClientOptions.Default with
    {
        Host = "127.0.0.1",
        Port = server.Endpoint.Port,
        ServerFingerprint = server.Fingerprint,
        RequestTimeout = TimeSpan.FromSeconds(10),
        CloseTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>The listener's open, handshaking and refused counts.</summary>
    public static async Task<SecureActors.Server.Listener.ListenerProtocol.Counts> ListenerCountsAsync(SecureServer server)
    {
        var listener = await server.System.ActorSelection("/user/server/listener").ResolveOne().ConfigureAwait(false);
        return await listener.Ask<SecureActors.Server.Listener.ListenerProtocol.Counts>(SecureActors.Server.Listener.ListenerProtocol.GetCounts.Instance, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    public static Task<SecureClient> ConnectAsync(SecureServer server, SecureClientOptions? options = null) =>
        SecureClient.ConnectAsync(options ?? ClientOptions(server));
}
