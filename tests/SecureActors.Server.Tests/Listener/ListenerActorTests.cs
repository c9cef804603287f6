using System.Net;
using System.Net.Sockets;
using SecureActors.Actors.Actor;
using SecureActors.Hocon;
using SecureActors.Server.Listener;
using SecureActors.Server.Tests.Support;
using SecureActors.Server.Transport;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Listener;

public sealed class ListenerActorTests(ITestOutputHelper output) : Actors.TestKit.TestKit(output)
{
    private async Task<(IActorRef Listener, IPEndPoint Endpoint, Actors.TestKit.TestProbe Sessions)> StartAsync(string hocon)
    {
        var config = ConfigFactory.ParseString("server { port = 0, stats.enabled = off }\n" + hocon).WithFallback(ServerSettings.Reference);
        var settings = ServerSettings.FromConfig(config);
        var sessions = CreateTestProbe();
        var state = new ListenerState(new AdmissionControl(settings.Limits, () => 1.0, TimeProvider.System));
        var events = CreateTestProbe();
        Sys.ActorOf(ParentProxy.Props(ListenerActor.Props(settings, state, (n, connection) => StubSession.Props(n, connection, sessions.Ref), null), events.Ref, "listener"));
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
        var received = new byte[16];
        var length = 0;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        for (int read; (read = await second.ReceiveAsync(received.AsMemory(length), SocketFlags.None, cancel.Token)) > 0;)
        {
            length += read;
        }

        Assert.Equal(new byte[] { 0x15, 0x00, 0x02, 0x02, 80 }, received[..length]);
        var counts = await listener.Ask<ListenerProtocol.Counts>(ListenerProtocol.GetCounts.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal((1, 1, 1L), (counts.Open, counts.Handshaking, counts.Refused));

        session.Tell(PoisonPill.Instance);
        await AwaitAssertAsync(async () =>
            Assert.Equal(0, (await listener.Ask<ListenerProtocol.Counts>(ListenerProtocol.GetCounts.Instance, TimeSpan.FromSeconds(5))).Open));
        using var third = await ConnectAsync(endpoint);
        await sessions.ExpectMsgAsync<IActorRef>();
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
