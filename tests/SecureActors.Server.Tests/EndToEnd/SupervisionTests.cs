using System.Net.Sockets;
using System.Text;
using SecureActors.Actors.Actor;
using SecureActors.Client;
using SecureActors.Protocol;
using SecureActors.Server.Handler;
using SecureActors.Server.Hosting;
using SecureActors.Server.Listener;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.EndToEnd;

/// <summary>What a failure of the listener or the handler means to the sessions, seen through the real client.</summary>
public sealed class SupervisionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Listener_AcceptLoopFails_ReBindsTheSamePortWhileEstablishedSessionsKeepRunning()
    {
        var (server, log) = await TestServers.StartAsync(output);
        await using (server)
        {
            await using var established = await TestServers.ConnectAsync(server);
            Assert.Equal("before", await established.SendAsync("before"));

            server.System.ActorSelection("/user/server/listener")
                .Tell(new ListenerProtocol.AcceptFailed(new SocketException((int)SocketError.TooManyOpenSockets)), ActorRefs.NoSender);

            await Await.UntilAsync(() => log.Messages.Any(m => m.StartsWith("listening again on", StringComparison.Ordinal)));
            Assert.Equal("after", await established.SendAsync("after"));
            await using var newcomer = await TestServers.ConnectAsync(server);
            Assert.Equal("new", await newcomer.SendAsync("new"));
            Assert.Equal(2, (await TestServers.ListenerCountsAsync(server)).Open);
            Assert.Contains(log.Messages, m => m.Contains("listener failed", StringComparison.Ordinal) && m.Contains("1 established sessions kept", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Listener_FailsMoreOftenThanAllowed_StopsAcceptingAndEstablishedSessionsKeepRunning()
    {
        var (server, log) = await TestServers.StartAsync(output, "server.listener.max-restarts = 1");
        await using (server)
        {
            await using var established = await TestServers.ConnectAsync(server);
            var listener = server.System.ActorSelection("/user/server/listener");

            listener.Tell(new ListenerProtocol.AcceptFailed(new SocketException((int)SocketError.TooManyOpenSockets)), ActorRefs.NoSender);
            listener.Tell(new ListenerProtocol.AcceptFailed(new SocketException((int)SocketError.TooManyOpenSockets)), ActorRefs.NoSender);

            await Await.UntilAsync(() => log.Messages.Any(m => m.Contains("no longer accepting", StringComparison.Ordinal)));
            Assert.Equal("still here", await established.SendAsync("still here"));
            await Assert.ThrowsAnyAsync<SecureClientException>(() => TestServers.ConnectAsync(server).WaitAsync(Await.Bound));
        }
    }

    [Fact]
    public async Task Handler_StoppedAfterTooManyFailures_InFlightAndNewRequestsGetInternalError()
    {
        var (server, log) = await TestServers.StartAsync(
            output,
            "server.handler.max-restarts = 0",
            new SecureServerOptions { HandlerProps = Props.Create(() => new HoldingHandler()) });
        await using (server)
        {
            await using var waiting = await TestServers.ConnectAsync(server);
            await using var crasher = await TestServers.ConnectAsync(server);
            var held = Enumerable.Range(0, 3).Select(i => waiting.SendAsync($"hold {i}")).ToList();
            await Await.UntilAsync(() => server.Metrics.Snapshot().MessagesIn == 3);

            var crashed = await Assert.ThrowsAnyAsync<SecureClientException>(() => crasher.SendAsync("crash").WaitAsync(Await.Bound));

            Assert.Equal(AlertDescription.InternalError, crashed.Alert);
            foreach (var request in held)
            {
                var failure = await Assert.ThrowsAnyAsync<SecureClientException>(() => request.WaitAsync(Await.Bound));
                Assert.Equal(AlertDescription.InternalError, failure.Alert);
            }

            await using var newcomer = await TestServers.ConnectAsync(server);
            var refused = await Assert.ThrowsAnyAsync<SecureClientException>(() => newcomer.SendAsync("anyone there?").WaitAsync(Await.Bound));
            Assert.Equal(AlertDescription.InternalError, refused.Alert);
            Assert.Contains(log.Messages, m => m.Contains("application handler stopped", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Handler_PushesToASession_TheClientReceivesThemBeforeTheReply()
    {
        var (server, _) = await TestServers.StartAsync(output, options: new SecureServerOptions { HandlerProps = Props.Create(() => new PushingHandler()) });
        await using (server)
        {
            await using var bystander = await TestServers.ConnectAsync(server);
            await using var client = await TestServers.ConnectAsync(server);

            Assert.Equal("pushed 3", await client.SendAsync("3").WaitAsync(Await.Bound));

            for (var i = 0; i < 3; i++)
            {
                var pushed = await client.PushedMessages.ReadAsync().AsTask().WaitAsync(Await.Bound);
                Assert.Equal($"push {i}", Encoding.UTF8.GetString(pushed.Span));
            }

            Assert.False(bystander.PushedMessages.TryRead(out _));
            Assert.Equal("pushed 0", await bystander.SendAsync("0"));
        }
    }

    [Fact]
    public async Task Shutdown_SessionStillHandshaking_GetsAPlaintextCloseNotifyNotASilentClose()
    {
        var (server, _) = await TestServers.StartAsync(output);
        await using var established = await TestServers.ConnectAsync(server);
        using var handshaking = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await handshaking.ConnectAsync(server.Endpoint);
        await Await.UntilAsync(() => server.Metrics.ActiveSessions == 2);

        await server.StopAsync().WaitAsync(Await.Bound);

        var received = new List<byte>();
        var chunk = new byte[64];
        using var cancel = new CancellationTokenSource(Await.Bound);
        for (int read; (read = await handshaking.ReceiveAsync(chunk, SocketFlags.None, cancel.Token)) > 0;)
        {
            received.AddRange(chunk.AsSpan(0, read));
        }

        Assert.Equal(new byte[] { 0x15, 0x00, 0x02, 0x01, 0x00 }, received);
        await established.Completion.WaitAsync(Await.Bound);
        Assert.Equal(AlertDescription.CloseNotify, Assert.IsType<SecureClientException>(established.TerminationReason, exactMatch: false).Alert);
    }

    /// <summary>Never answers "hold …" (so requests stay in flight); throws on "crash"; echoes the rest.</summary>
    private sealed class HoldingHandler : MessageHandler
    {
        protected override void OnRequest(HandlerProtocol.Handle request)
        {
            if (request.Payload.Span.SequenceEqual("crash"u8))
            {
                throw new InvalidOperationException("the handler was asked to crash");
            }

            if (!request.Payload.Span.StartsWith("hold"u8))
            {
                request.Reply(request.Payload);
            }
        }
    }

    /// <summary>For request "N", pushes "push 0" … "push N-1" to the session, then replies "pushed N".</summary>
    private sealed class PushingHandler : MessageHandler
    {
        protected override void OnRequest(HandlerProtocol.Handle request)
        {
            var count = int.Parse(Encoding.UTF8.GetString(request.Payload.Span), System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 0; i < count; i++)
            {
                request.Session.Tell(new HandlerProtocol.Push(Encoding.UTF8.GetBytes($"push {i}")), Self);
            }

            request.Reply(Encoding.UTF8.GetBytes($"pushed {count}"));
        }
    }
}
