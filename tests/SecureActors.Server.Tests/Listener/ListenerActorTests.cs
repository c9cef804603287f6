using System.Net;
using System.Net.Sockets;
using SecureActors.Actors.Actor;
using SecureActors.Hocon;
using SecureActors.Server.Listener;
using SecureActors.Server.Metrics;
using SecureActors.Server.Tests.Support;
using SecureActors.Server.Transport;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Listener;

public sealed class ListenerActorTests(ITestOutputHelper output) : Actors.TestKit.TestKit(output)
{
    /// <summary>The refusal every admission limit sends (PROTOCOL.md §4): plaintext alert record, fatal, server_busy (240).</summary>
    private static readonly byte[] ServerBusyAlert = [0x15, 0x00, 0x02, 0x02, 0xF0];

    /// <param name="earlyDropDraw">The admission's random draw: 1.0 never early-drops, 0.0 drops whenever the probability is above zero.</param>
    private async Task<(IActorRef Listener, IPEndPoint Endpoint, Actors.TestKit.TestProbe Sessions)> StartAsync(string hocon, double earlyDropDraw = 1.0, ServerMetrics? metrics = null)
    {
        var config = ConfigFactory.ParseString("server { port = 0, stats.enabled = off }\n" + hocon).WithFallback(ServerSettings.Reference);
        var settings = ServerSettings.FromConfig(config);
        var sessions = CreateTestProbe();
        var state = new ListenerState(new AdmissionControl(settings.Limits, () => earlyDropDraw, TimeProvider.System));
        var events = CreateTestProbe();
        Sys.ActorOf(ParentProxy.Props(ListenerActor.Props(settings, state, (n, connection) => StubSession.Props(n, connection, sessions.Ref), metrics), events.Ref, "listener"));
        var listener = await events.ExpectMsgAsync<IActorRef>();
        var bound = await events.ExpectMsgAsync<ListenerProtocol.Bound>();
        return (listener, bound.Endpoint, sessions);
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return socket;
    }

    [Fact]
    public async Task Listener_MaxConnectionsReached_RefusesWithAnAlertCountsItAndAdmitsAgainAfterAClose()
    {
        var (listener, endpoint, sessions) = await StartAsync("server.limits.max-connections = 1");
        using var first = await ConnectAsync(endpoint);
        var session = await sessions.ExpectMsgAsync<IActorRef>();

        using var second = await ConnectAsync(endpoint);
        var received = await ReceiveUntilClosedAsync(second);

        Assert.Equal(ServerBusyAlert, received);
        var counts = await listener.Ask<ListenerProtocol.Counts>(ListenerProtocol.GetCounts.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal((1, 1, 1L), (counts.Open, counts.Handshaking, counts.Refused));

        session.Tell(PoisonPill.Instance);
        await AwaitAssertAsync(async () =>
            Assert.Equal(0, (await listener.Ask<ListenerProtocol.Counts>(ListenerProtocol.GetCounts.Instance, TimeSpan.FromSeconds(5))).Open));
        using var third = await ConnectAsync(endpoint);
        await sessions.ExpectMsgAsync<IActorRef>();
    }

    [Theory]
    [InlineData("max-connections", "server.limits.max-connections = 1", 1, 1.0)]
    [InlineData("max-handshaking", "server.limits { max-handshaking = 1, early-drop-from = 1 }", 1, 1.0)]
    // Two handshaking, dropping from one of ten: probability 1/9, and the draw is 0.
    [InlineData("early-drop", "server.limits { max-handshaking = 10, early-drop-from = 1 }", 2, 0.0)]
    [InlineData("per-source-connections", "server.limits.per-source { exempt = [], max-connections = 1 }", 1, 1.0)]
    [InlineData("per-source-handshaking", "server.limits.per-source { exempt = [], max-handshaking = 1 }", 1, 1.0)]
    // One token, refilled once in a thousand seconds: the first connection spends it.
    [InlineData("per-source-rate", "server.limits.per-source { exempt = [], handshakes-per-second = 0.001, handshake-burst = 1 }", 1, 1.0)]
    public async Task Listener_EachAdmissionLimit_RefusesWithExactlyServerBusyAndNamesTheLimit(string limit, string hocon, int occupants, double earlyDropDraw)
    {
        using var metrics = new ServerMetrics();
        var (_, endpoint, sessions) = await StartAsync(hocon, earlyDropDraw, metrics);
        var admitted = new List<Socket>();
        try
        {
            for (var i = 0; i < occupants; i++)
            {
                // Stub sessions never report Established: the occupants stay handshaking.
                admitted.Add(await ConnectAsync(endpoint));
                await sessions.ExpectMsgAsync<IActorRef>();
            }

            using var refused = await ConnectAsync(endpoint);
            var received = await ReceiveUntilClosedAsync(refused);

            Assert.Equal(ServerBusyAlert, received);
            Assert.Equal(new Dictionary<string, long> { [limit] = 1 }, metrics.Snapshot().RefusedByLimit);
        }
        finally
        {
            admitted.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task Listener_SessionFails_OnlyThatSessionStops()
    {
        var (listener, endpoint, sessions) = await StartAsync("");
        using var first = await ConnectAsync(endpoint);
        var failing = await sessions.ExpectMsgAsync<IActorRef>();
        using var second = await ConnectAsync(endpoint);
        var healthy = await sessions.ExpectMsgAsync<IActorRef>();
        Watch(failing);

        failing.Tell("fail");

        await ExpectTerminatedAsync(failing);
        healthy.Tell("ping");
        Assert.Equal("pong", await sessions.ExpectMsgAsync<string>());
        var counts = await listener.Ask<ListenerProtocol.Counts>(ListenerProtocol.GetCounts.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal(1, counts.Open);
    }

    /// <summary>Everything the server sends until it closes (bounded by a deadline).</summary>
    private static async Task<byte[]> ReceiveUntilClosedAsync(Socket socket)
    {
        var received = new List<byte>();
        var chunk = new byte[64];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        for (int read; (read = await socket.ReceiveAsync(chunk, SocketFlags.None, deadline.Token)) > 0 && received.Count < 1024;)
        {
            received.AddRange(chunk.AsSpan(0, read));
        }

        return [.. received];
    }

    /// <summary>Stands in for a session: reports itself, answers ping, fails on demand, closes its connection when stopped.</summary>
    private sealed class StubSession : ReceiveActor
    {
        private readonly IConnection _connection;

        public StubSession(IConnection connection, IActorRef probe)
        {
            _connection = connection;
            probe.Tell(Self, Self);
            Receive<string>(text => text == "ping", _ => probe.Tell("pong", Self));
            Receive<string>(text => text == "fail", _ => throw new InvalidOperationException("stub session failure"));
        }

        public static Props Props(long number, IConnection connection, IActorRef probe) =>
            Actors.Actor.Props.Create(() => new StubSession(connection, probe));

        protected override void PostStop() => _connection.Abort();
    }
}
