using System.Net.Sockets;
using System.Text;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Scheduling;
using SecureActors.Client;
using SecureActors.Protocol;
using SecureActors.Server.Handler;
using SecureActors.Server.Hosting;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.EndToEnd;

/// <summary>Real server, real client library, 127.0.0.1 only. Each test shows the sessions it did not touch carry on.</summary>
public sealed class LoopbackTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static async Task EchoRoundsAsync(SecureClient client, string tag, int count)
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, count).Select(i => client.SendAsync($"{tag}-{i}")));
        for (var i = 0; i < count; i++)
        {
            Assert.Equal($"{tag}-{i}", replies[i]);
        }
    }

    [Fact]
    public async Task Server_ManyClientsAtOnce_EveryReplyArrivesIntactAndInOrder()
    {
        var (server, _) = await TestServers.StartAsync(output);
        await using (server)
        {
            var clients = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => TestServers.ConnectAsync(server)));
            await Task.WhenAll(clients.Select((client, n) => EchoRoundsAsync(client, $"c{n}", 25))).WaitAsync(Bound);
            await Task.WhenAll(clients.Select(client => client.CloseAsync()));
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            await AwaitAsync(() => server.Metrics.ActiveSessions == 0);
        }
    }

    [Fact]
    public async Task Server_OneClientPipelinesManyRequests_RepliesComeBackInRequestOrder()
    {
        var (server, _) = await TestServers.StartAsync(output, "server.session.max-in-flight = 16");
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);
            // Sizes vary so records fragment differently; positional correlation means order is checked too.
            var payloads = Enumerable.Range(0, 300).Select(i => new string((char)('a' + (i % 26)), 1 + (i * 97 % 20000))).ToArray();
            var replies = await Task.WhenAll(payloads.Select(p => client.SendAsync(p))).WaitAsync(Bound);
            Assert.Equal(payloads, replies);
            await client.CloseAsync();
        }
    }

    [Fact]
    public async Task Server_ClientSendsExit_BothSidesCloseCleanlyAndABystanderCarriesOn()
    {
        var (server, log) = await TestServers.StartAsync(output);
        await using (server)
        {
            await using var bystander = await TestServers.ConnectAsync(server);
            await using var leaving = await TestServers.ConnectAsync(server);
            Assert.Equal("before", await leaving.SendAsync("before"));

            await leaving.CloseAsync().WaitAsync(Bound);

            await EchoRoundsAsync(bystander, "bystander", 10);
            await AwaitAsync(() => server.Metrics.ActiveSessions == 1);
            Assert.DoesNotContain(log.Messages, m => m.Contains("truncated", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Server_ClientDisconnectsAbruptly_SessionFreedAndLoggedAsTruncated()
    {
        var (server, log) = await TestServers.StartAsync(output);
        await using (server)
        {
            await using var bystander = await TestServers.ConnectAsync(server);
            var raw = await RawClient.ConnectAsync(server.Endpoint, server.Fingerprint);
            await raw.SendRequestAsync("half a conversation"u8.ToArray());
            raw.Socket.LingerState = new LingerOption(true, 0); // RST, no close_notify
            await raw.DisposeAsync();

            await AwaitAsync(() => server.Metrics.ActiveSessions == 1);
            await EchoRoundsAsync(bystander, "bystander", 10);
            Assert.Contains(log.Messages, m => m.Contains("truncated", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Server_ClientNeverReads_OnlyThatSessionIsDropped()
    {
        var (server, log) = await TestServers.StartAsync(output, "server.session.outbound-queue-limit = 256 KiB");
        await using (server)
        {
            await using var bystander = await TestServers.ConnectAsync(server);
            await using var sleeper = await RawClient.ConnectAsync(server.Endpoint, server.Fingerprint, receiveBuffer: 4096);
            var payload = new byte[60_000];
            using var cancel = new CancellationTokenSource(Bound);
            try
            {
                // Bounded: at most 64 MiB is offered; the server drops us long before.
                for (var i = 0; i < 1100 && !log.Messages.Any(m => m.Contains("stopped reading", StringComparison.Ordinal)); i++)
                {
                    await sleeper.SendRequestAsync(payload, cancel.Token);
                }
            }
            catch (SocketException)
            {
                // The server reset us mid-write: the drop we are waiting for.
            }

            await AwaitAsync(() => log.Messages.Any(m => m.Contains("stopped reading", StringComparison.Ordinal)));
            await AwaitAsync(() => server.Metrics.ActiveSessions == 1);
            await EchoRoundsAsync(bystander, "bystander", 10);
        }
    }

    [Fact]
    public async Task Server_CryptoWorkerThrows_AffectedHandshakesFailCleanlyAndOthersSucceed()
    {
        var (server, _) = await TestServers.StartAsync(
            output,
            """
            server.testing.crypto-fault-every = 4
            server.session.crypto-timeout = 400 ms
            """);
        await using (server)
        {
            await using var bystander = await TestServers.ConnectAsync(server);
            var outcomes = new List<AlertDescription?>();
            for (var i = 0; i < 12; i++)
            {
                try
                {
                    await using var client = await TestServers.ConnectAsync(server);
                    Assert.Equal("ok", await client.SendAsync("ok"));
                    await client.CloseAsync();
                    outcomes.Add(null);
                }
                catch (SecureClientException e)
                {
                    outcomes.Add(e.Alert);
                }

                Assert.Equal($"still here {i}", await bystander.SendAsync($"still here {i}"));
            }

            Assert.Contains(outcomes, o => o is null);
            Assert.Contains(outcomes, o => o == AlertDescription.InternalError);
            Assert.All(outcomes, o => Assert.True(o is null or AlertDescription.InternalError));
        }
    }

    [Fact]
    public async Task Server_HandlerThrows_ThatSessionGetsInternalErrorAndTheHandlerIsRestarted()
    {
        var (server, _) = await TestServers.StartAsync(output, options: new SecureServerOptions { HandlerProps = Props.Create(() => new CrashingEcho()) });
        await using (server)
        {
            await using var bystander = await TestServers.ConnectAsync(server);
            await using var victim = await TestServers.ConnectAsync(server);

            var failure = await Assert.ThrowsAnyAsync<SecureClientException>(() => victim.SendAsync("crash").WaitAsync(Bound));

            Assert.Equal(AlertDescription.InternalError, failure.Alert);
            await EchoRoundsAsync(bystander, "after-crash", 10);
            await using var newcomer = await TestServers.ConnectAsync(server);
            Assert.Equal("fine", await newcomer.SendAsync("fine"));
        }
    }

    [Fact]
    public async Task Server_MaxConnectionsReached_RefusesTheExcessWithAnAlertAndKeepsServingTheOthers()
    {
        var (server, _) = await TestServers.StartAsync(output, "server.limits.max-connections = 2");
        await using (server)
        {
            await using var first = await TestServers.ConnectAsync(server);
            await using var second = await TestServers.ConnectAsync(server);

            var noBusyRetries = TestServers.ClientOptions(server) with { BusyRetries = 0 };
            var refused = await Assert.ThrowsAsync<ServerBusyException>(() => TestServers.ConnectAsync(server, noBusyRetries).WaitAsync(Bound));

            Assert.Equal(AlertDescription.ServerBusy, refused.Alert);
            await EchoRoundsAsync(first, "first", 5);
            await EchoRoundsAsync(second, "second", 5);
            var counts = await server.System.ActorSelection("/user/server/listener").Ask<SecureActors.Server.Listener.ListenerProtocol.Counts>(SecureActors.Server.Listener.ListenerProtocol.GetCounts.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal(1, counts.Refused);
        }
    }

    [Fact]
    public async Task Server_PortAlreadyTaken_StartFailsWithAClearError()
    {
        var (server, _) = await TestServers.StartAsync(output);
        await using (server)
        {
            var clash = await Assert.ThrowsAsync<BindFailedException>(() =>
                TestServers.StartAsync(output, $"server.port = {server.Endpoint.Port}"));

            Assert.Contains("already in use", clash.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Server_StoppedWithSessionsMidConversation_EveryRequestIsAnsweredOrTheClientIsTold()
    {
        var (server, _) = await TestServers.StartAsync(
            output,
            "server.shutdown.drain-timeout = 2 s",
            new SecureServerOptions { HandlerProps = Props.Create(() => new SlowEcho(TimeSpan.FromMilliseconds(300))) });
        var clients = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => TestServers.ConnectAsync(server)));
        var inFlight = clients.SelectMany((client, n) => Enumerable.Range(0, 5).Select(i => (Expected: $"{n}-{i}", Reply: client.SendAsync($"{n}-{i}")))).ToList();
        await AwaitAsync(() => server.Metrics.Snapshot().MessagesIn == inFlight.Count);

        await server.StopAsync().WaitAsync(Bound);

        var answered = 0;
        foreach (var (expected, reply) in inFlight)
        {
            try
            {
                Assert.Equal(expected, await reply.WaitAsync(Bound));
                answered++;
            }
            catch (SecureClientException)
            {
                // Told: the session ended (close_notify) before this reply; never silently lost.
            }
        }

        output.WriteLine($"{answered} of {inFlight.Count} in-flight requests answered before close_notify");
        Assert.Equal(inFlight.Count, answered);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    private static async Task AwaitAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
        {
            await tick.WaitForNextTickAsync(timeout.Token);
        }
    }

    private sealed class CrashingEcho : MessageHandler
    {
        protected override void OnRequest(HandlerProtocol.Handle request)
        {
            if (request.Payload.Span.SequenceEqual("crash"u8))
            {
                throw new InvalidOperationException("the handler was asked to crash");
            }

            request.Reply(request.Payload);
        }
    }

    /// <summary>Answers after a delay (scheduled, not blocking), so requests are in flight when the server stops.</summary>
    private sealed class SlowEcho : MessageHandler
    {
        private readonly TimeSpan _delay;

        public SlowEcho(TimeSpan delay) => _delay = delay;

        protected override void OnRequest(HandlerProtocol.Handle request) =>
            Context.System.Scheduler.ScheduleTellOnce(_delay, request.Session, new HandlerProtocol.Replied(request.RequestId, request.Payload), Self);
    }
}
