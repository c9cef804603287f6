using System.Buffers;
using System.Text;
using SecureActors.Actors.Actor;
using SecureActors.Hocon;
using SecureActors.Protocol;
using SecureActors.Protocol.Records;
using SecureActors.Server.Crypto;
using SecureActors.Server.Handler;
using SecureActors.Server.Session;
using SecureActors.Server.Tests.Support;
using SecureActors.Server.Transport;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Session;

public sealed class SessionActorTests(ITestOutputHelper output) : Actors.TestKit.TestKit(output)
{
    private static SessionSettings Settings(string hocon = "") =>
        SessionSettings.FromConfig(new SettingsSection(ConfigFactory.ParseString(hocon).WithFallback(ServerSettings.Reference).GetConfig("server.session"), "server.session"));

    private (IActorRef Parent, FakeConnection Connection) StartSession(IActorRef crypto, IActorRef handler, Actors.TestKit.TestProbe parentEvents, string hocon = "") =>
        StartSession(crypto, handler, null, parentEvents, hocon);

    private (IActorRef Parent, FakeConnection Connection) StartSession(IActorRef crypto, IRequestResponder responder, Actors.TestKit.TestProbe parentEvents) =>
        StartSession(crypto, null, responder, parentEvents, "");

    private (IActorRef Parent, FakeConnection Connection) StartSession(IActorRef crypto, IActorRef? handler, IRequestResponder? responder, Actors.TestKit.TestProbe parentEvents, string hocon)
    {
        var connection = new FakeConnection();
        var context = new SessionContext(Settings(hocon), ProtocolOptions.Default, TestServers.Identity, null, crypto, handler, responder, null);
        var parent = Sys.ActorOf(ParentProxy.Props(SessionActor.Props(1, connection, context), parentEvents.Ref, "session-1"));
        return (parent, connection);
    }

    private IActorRef RealCrypto() => Sys.ActorOf(CryptoWorker.Props(TestServers.Identity, null, 0));

    [Fact]
    public async Task Session_ClientCompletesHandshake_ReportsEstablishedToItsParent()
    {
        var events = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), CreateTestProbe().Ref, events);
        var session = await events.ExpectMsgAsync<IActorRef>();
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);

        await client.HandshakeAsync();

        var established = await events.ExpectMsgAsync<SessionProtocol.Established>();
        Assert.Equal(1, established.SessionNumber);
        Assert.Null(established.Fingerprint);
        Assert.NotNull(session);
    }

    [Fact]
    public async Task Session_HandlerAnswersOutOfOrder_RepliesLeaveInRequestOrder()
    {
        var events = CreateTestProbe();
        var handler = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), handler.Ref, events);
        await events.ExpectMsgAsync<IActorRef>();
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        await client.HandshakeAsync();

        for (var i = 1; i <= 3; i++)
        {
            await client.SendRequestAsync(Encoding.UTF8.GetBytes($"request {i}"));
        }

        var requests = new List<HandlerProtocol.Handle>();
        for (var i = 0; i < 3; i++)
        {
            requests.Add(await handler.ExpectMsgAsync<HandlerProtocol.Handle>());
        }

        Assert.Equal([1UL, 2UL, 3UL], requests.Select(r => r.RequestId));
        requests[2].Reply(Encoding.UTF8.GetBytes("reply 3"));
        requests[0].Reply(Encoding.UTF8.GetBytes("reply 1"));
        requests[1].Reply(Encoding.UTF8.GetBytes("reply 2"));

        for (var i = 1; i <= 3; i++)
        {
            var reply = await client.ReceiveAsync();
            Assert.Equal(ChannelEventKind.Message, reply.Kind);
            Assert.Equal((ulong)i, reply.Id);
            Assert.Equal($"reply {i}", Encoding.UTF8.GetString(reply.Payload));
        }
    }

    [Fact]
    public async Task Session_CryptoReplyNeverArrives_FailsHandshakeAtItsDeadline()
    {
        var events = CreateTestProbe();
        var silentCrypto = CreateTestProbe();
        var (_, connection) = StartSession(silentCrypto.Ref, CreateTestProbe().Ref, events, "server.session.crypto-timeout = 300 ms");
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        var handshake = client.HandshakeAsync();

        await silentCrypto.ExpectMsgAsync<CryptoProtocol.Execute>();
        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));

        // The client (reading concurrently) receives the alert, not a hang.
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => handshake.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains(nameof(AlertDescription.InternalError), failure.Message, StringComparison.Ordinal);
        await connection.Closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Session_MessagesArriveAfterTheSessionStopped_LateRecordsAndFlushesAreNotLoggedAsDeadLetters()
    {
        var events = CreateTestProbe();
        StartSession(RealCrypto(), CreateTestProbe().Ref, events);
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);
        Sys.Stop(session);
        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));
        var allDeadLetters = CreateTestProbe();
        var loggedDeadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(allDeadLetters.Ref, typeof(Actors.Event.AllDeadLetters));
        Sys.EventStream.Subscribe(loggedDeadLetters.Ref, typeof(Actors.Event.DeadLetter));

        // What a peer that keeps sending after its session closed (say, after access_denied) makes its connection send.
        session.Tell(TransportProtocol.RecordsReceived.Of([23, 0, 1, 0xCC], 1));
        session.Tell(new TransportProtocol.FramingFailed(new ProtocolFailure(AlertDescription.RecordOverflow, "too long")));
        // And what the session sent itself to flush replies, when the close got there first.
        session.Tell(SessionProtocol.FlushOutput.Instance);
        session.Tell("not a transport message");

        Assert.IsType<TransportProtocol.RecordsReceived>((await allDeadLetters.ExpectMsgAsync<Actors.Event.SuppressedDeadLetter>()).Message);
        Assert.IsType<TransportProtocol.FramingFailed>((await allDeadLetters.ExpectMsgAsync<Actors.Event.SuppressedDeadLetter>()).Message);
        Assert.IsType<SessionProtocol.FlushOutput>((await allDeadLetters.ExpectMsgAsync<Actors.Event.SuppressedDeadLetter>()).Message);
        // The ordinary letter sent last is the first one published for logging: the two before it were not.
        Assert.Equal("not a transport message", (await loggedDeadLetters.ExpectMsgAsync<Actors.Event.DeadLetter>()).Message);
    }

    [Fact]
    public async Task Session_ShutdownDuringTheHandshake_SendsAPlaintextCloseNotifyThenCloses()
    {
        var events = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), CreateTestProbe().Ref, events);
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);

        session.Tell(new SessionProtocol.Shutdown(TimeSpan.FromSeconds(1)));

        var alert = await connection.ReadFrameAsync();
        Assert.Equal(Protocol.Framing.RecordType.Alert, alert.Type);
        Assert.Equal(new byte[] { 1, (byte)AlertDescription.CloseNotify }, System.Buffers.BuffersExtensions.ToArray(alert.Body));
        await connection.Closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Session_ShutdownAfterTheServerFlight_FinishesTheHandshakeThenSendsAProtectedCloseNotify()
    {
        var events = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), CreateTestProbe().Ref, events);
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);

        // The client is established as soon as it sends Finished: a plaintext alert now would be a protocol error to it.
        await client.HandshakeAsync(beforeFinalFlight: () =>
        {
            session.Tell(new SessionProtocol.Shutdown(TimeSpan.FromSeconds(1)));
            return Task.CompletedTask;
        });

        Assert.Equal(ChannelEventKind.Closed, (await client.ReceiveAsync()).Kind);
        await client.SendCloseNotifyAsync();
        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Session_ClientSilentAfterConnect_ClosedAtTheHandshakeDeadline()
    {
        var events = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), CreateTestProbe().Ref, events, "server.session.handshake-timeout = 300 ms");
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);

        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));
        await connection.Closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Session_IdleLongerThanTheTimeout_SendsCloseNotify()
    {
        var events = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), CreateTestProbe().Ref, events, "server.session.idle-timeout = 300 ms\nserver.session.close-notify-timeout = 300 ms");
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        await client.HandshakeAsync();

        var closing = await client.ReceiveAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(ChannelEventKind.Closed, closing.Kind);
        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Session_ServerPushesLongerThanTheIdleTimeout_StaysOpenThenClosesOnceThePushesStop()
    {
        var events = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), CreateTestProbe().Ref, events, "server.session.idle-timeout = 2 s\nserver.session.close-notify-timeout = 300 ms");
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        await client.HandshakeAsync();

        // The delay spaces the pushes over 1.5 idle timeouts while the client sends nothing; it synchronises nothing.
        for (var push = 0; push < 15; push++)
        {
            session.Tell(new HandlerProtocol.Push(new[] { (byte)push }));
            var received = await client.ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(ChannelEventKind.Message, received.Kind);
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        Assert.Equal(ChannelEventKind.Closed, (await client.ReceiveAsync(TimeSpan.FromSeconds(10))).Kind);
        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Session_ClientSendsCloseNotify_AnswersAfterInFlightRepliesAndStops(bool bytesAfterItDoNotFrame)
    {
        var events = CreateTestProbe();
        var handler = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), handler.Ref, events);
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        await client.HandshakeAsync();
        await client.SendRequestAsync("last words"u8.ToArray());
        var request = await handler.ExpectMsgAsync<HandlerProtocol.Handle>();

        await client.SendCloseNotifyAsync();
        if (bytesAfterItDoNotFrame)
        {
            // What the connection reports when the byte after close_notify starts no valid record (PROTOCOL.md §8.6: dropped).
            session.Tell(new TransportProtocol.FramingFailed(new ProtocolFailure(AlertDescription.UnexpectedMessage, "unknown record type 0x18")));
        }

        request.Reply(request.Payload);

        var reply = await client.ReceiveAsync();
        Assert.Equal(ChannelEventKind.Message, reply.Kind);
        Assert.Equal("last words", Encoding.UTF8.GetString(reply.Payload));
        Assert.Equal(ChannelEventKind.Closed, (await client.ReceiveAsync()).Kind);
        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Session_HandlerReportsAFailedRequest_ClosesWithInternalError()
    {
        var events = CreateTestProbe();
        var handler = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), handler.Ref, events);
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        await client.HandshakeAsync();
        await client.SendRequestAsync("boom"u8.ToArray());

        (await handler.ExpectMsgAsync<HandlerProtocol.Handle>()).Fail("test");

        var alert = await client.ReceiveAsync();
        Assert.Equal(ChannelEventKind.Failed, alert.Kind);
        Assert.Equal(AlertDescription.InternalError, alert.Alert);
        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Session_ResponderGetsPipelinedRequestsOfOneRead_AnswersThemInOrderInOneWrite()
    {
        var events = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), new NumberingResponder(), events);
        await events.ExpectMsgAsync<IActorRef>();
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        await client.HandshakeAsync();
        var writesBefore = connection.Writes;

        var burst = new ArrayBufferWriter<byte>();
        for (var i = 1; i <= 8; i++)
        {
            Assert.True(client.Channel.TryWriteRequest(Encoding.UTF8.GetBytes($"request {i}"), burst, out _));
        }

        await connection.DeliverAsync(burst.WrittenMemory);

        for (var i = 1; i <= 8; i++)
        {
            var reply = await client.ReceiveAsync();
            Assert.Equal((ulong)i, reply.Id);
            Assert.Equal($"{i}: request {i}", Encoding.UTF8.GetString(reply.Payload));
        }

        Assert.Equal(writesBefore + 1, connection.Writes);
    }

    [Fact]
    public async Task Session_ResponderSeesTheSessionsContext()
    {
        var events = CreateTestProbe();
        var seen = new ContextRecordingResponder();
        var (_, connection) = StartSession(RealCrypto(), seen, events);
        await events.ExpectMsgAsync<IActorRef>();
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        var handshake = await client.HandshakeAsync();

        await client.SendRequestAsync("who"u8.ToArray());

        Assert.Equal("who", Encoding.UTF8.GetString((await client.ReceiveAsync()).Payload));
        Assert.Equal(handshake.SessionId, seen.SessionId);
        Assert.Equal(connection.Remote, seen.Remote);
        Assert.Null(seen.Fingerprint);
        Assert.False(seen.Signed);
    }

    [Fact]
    public async Task Session_ResponderThrows_ClosesWithInternalError()
    {
        var events = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), new ThrowingResponder(), events);
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        await client.HandshakeAsync();

        await client.SendRequestAsync("boom"u8.ToArray());

        var alert = await client.ReceiveAsync();
        Assert.Equal(ChannelEventKind.Failed, alert.Kind);
        Assert.Equal(AlertDescription.InternalError, alert.Alert);
        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));
    }

    private sealed class NumberingResponder : IRequestResponder
    {
        public void Respond(in HandlerRequest request, IBufferWriter<byte> reply)
        {
            reply.Write(Encoding.UTF8.GetBytes($"{request.RequestId}: "));
            reply.Write(request.Payload);
        }
    }

    private sealed class ContextRecordingResponder : IRequestResponder
    {
        public string? SessionId { get; private set; }

        public string? Fingerprint { get; private set; }

        public System.Net.IPEndPoint? Remote { get; private set; }

        public bool Signed { get; private set; }

        public void Respond(in HandlerRequest request, IBufferWriter<byte> reply)
        {
            (SessionId, Fingerprint, Remote, Signed) = (request.SessionId, request.Fingerprint, request.Remote, request.Signed);
            reply.Write(request.Payload);
        }
    }

    private sealed class ThrowingResponder : IRequestResponder
    {
        public void Respond(in HandlerRequest request, IBufferWriter<byte> reply) => throw new InvalidOperationException("responder bug");
    }

    [Fact]
    public async Task Session_ClientStopsReading_IsDroppedWhenTheOutboundQueueIsFull()
    {
        var events = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), Sys.ActorOf(EchoHandler.Props()), events);
        var session = await events.ExpectMsgAsync<IActorRef>();
        Watch(session);
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        await client.HandshakeAsync();

        connection.RefuseSends = true;
        await client.SendRequestAsync("nobody reads this"u8.ToArray());

        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(5));
        await connection.Aborted.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Session_TooManyRequestsInFlight_HoldsTheReceiveLoopUntilRepliesCatchUp()
    {
        var events = CreateTestProbe();
        var handler = CreateTestProbe();
        var (_, connection) = StartSession(RealCrypto(), handler.Ref, events, "server.session.max-in-flight = 2");
        await events.ExpectMsgAsync<IActorRef>();
        using var client = new ClientDriver(connection, TestServers.Identity.Fingerprint);
        await client.HandshakeAsync();

        await client.SendRequestAsync("1"u8.ToArray());
        await client.SendRequestAsync("2"u8.ToArray());
        var first = await handler.ExpectMsgAsync<HandlerProtocol.Handle>();
        await handler.ExpectMsgAsync<HandlerProtocol.Handle>();
        await AwaitAssertAsync(() => Assert.False(connection.Gate.WaitOpenAsync().IsCompleted));

        first.Reply(first.Payload);

        await connection.Gate.WaitOpenAsync().WaitAsync(TimeSpan.FromSeconds(5));
    }
}
