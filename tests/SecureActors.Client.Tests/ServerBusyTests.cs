using System.Net;
using System.Net.Sockets;
using SecureActors.Client.Connection;
using SecureActors.Client.Tests.Support;
using SecureActors.Protocol;

namespace SecureActors.Client.Tests;

/// <summary>A server_busy refusal (PROTOCOL.md §4) surfaces as <see cref="ServerBusyException"/> and only it is retried.</summary>
public sealed class ServerBusyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static SecureClientOptions Options(TestServer server, int retries) => ClientFactory.Pinned(server) with
    {
        BusyRetries = retries,
        BusyBackoff = TimeSpan.FromMilliseconds(1),
        BusyBackoffMax = TimeSpan.FromMilliseconds(5),
    };

    [Fact]
    public async Task ConnectAsync_ServerBusyWithRetriesOff_ThrowsServerBusyAfterOneAttempt()
    {
        await using var server = new TestServer(TestKeys.Server);
        server.RefuseNextConnectionsAsBusy(1);

        var busy = await Assert.ThrowsAsync<ServerBusyException>(() => SecureClient.ConnectAsync(Options(server, retries: 0)).WaitAsync(Bound));

        Assert.Equal(AlertDescription.ServerBusy, busy.Alert);
        Assert.True(busy.ReceivedFromServer);
        Assert.Equal(1, busy.Attempts);
        Assert.Equal($"127.0.0.1:{server.Port}", busy.Server);
        Assert.StartsWith("server busy: ", busy.Message, StringComparison.Ordinal);
        Assert.EndsWith("try again later", busy.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<SecureClientException>(busy);
        Assert.Equal(1, server.ConnectionsAccepted);
        Assert.Equal(0, server.HandshakesCompleted);
    }

    [Fact]
    public async Task ConnectAsync_ServerBusyTwiceThenFree_SucceedsOnTheThirdAttempt()
    {
        await using var server = new TestServer(TestKeys.Server);
        server.RefuseNextConnectionsAsBusy(2);

        await using var client = await SecureClient.ConnectAsync(Options(server, retries: 3)).WaitAsync(Bound);

        Assert.Equal("admitted", await client.SendAsync("admitted"));
        Assert.Equal(2, server.BusyRefusalsSent);
        Assert.Equal(3, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task ConnectAsync_ServerAlwaysBusy_GivesUpAfterTheRetriesWithTheTypedError()
    {
        await using var server = new TestServer(TestKeys.Server);
        server.RefuseNextConnectionsAsBusy(int.MaxValue);
        var observer = new RecordingObserver();

        var busy = await Assert.ThrowsAsync<ServerBusyException>(() => SecureClient.ConnectAsync(Options(server, retries: 2), observer, CancellationToken.None).WaitAsync(Bound));

        Assert.Equal(3, busy.Attempts);
        Assert.Contains("refused the connection 3 times", busy.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.ConnectionsAccepted);
        Assert.Equal([1, 2, 3], observer.Refusals.Select(r => r.Attempt));
        Assert.Equal([true, true, false], observer.Refusals.Select(r => r.RetryIn is not null));
        Assert.All(observer.Refusals.Where(r => r.RetryIn is not null), r => Assert.InRange(r.RetryIn!.Value, TimeSpan.Zero, TimeSpan.FromMilliseconds(5)));
    }

    [Fact]
    public async Task ConnectAsync_CancelledDuringTheBusyBackoff_StopsWaitingAtOnce()
    {
        await using var server = new TestServer(TestKeys.Server);
        server.RefuseNextConnectionsAsBusy(int.MaxValue);
        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver { OnRefused = cancel.Cancel };
        var options = Options(server, retries: 5) with { BusyBackoff = TimeSpan.FromMinutes(10), BusyBackoffMax = TimeSpan.FromMinutes(10) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SecureClient.ConnectAsync(options, observer, cancel.Token).WaitAsync(Bound));

        Assert.Equal(1, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task ConnectAsync_OtherAlertAsTheFirstRecord_IsNotRetriedNorCalledBusy()
    {
        await using var server = new ScriptedServer([0x15, 0x00, 0x02, 0x02, (byte)AlertDescription.InternalError]);

        var error = await Assert.ThrowsAsync<SecureClientException>(() => SecureClient.ConnectAsync(Options(server.Port, retries: 3)).WaitAsync(Bound));

        Assert.Equal(AlertDescription.InternalError, error.Alert);
        Assert.Equal(1, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task ConnectAsync_ServerBusyAfterAHelloRetryRequest_IsAFatalAlertNotARefusal()
    {
        // A valid HelloRetryRequest (§5.3: SAP/1, AES-128-GCM, P-384, which the client lists but sent no share for),
        // then server_busy: no longer the server's first record, so it is not a refusal to retry (§4).
        byte[] helloRetry = [0x16, 0x00, 0x09, 0x06, 0x00, 0x06, 0x00, 0x01, 0x13, 0x01, 0x00, 0x18];
        await using var server = new ScriptedServer([.. helloRetry, .. TestServer.ServerBusyAlert]);

        var error = await Assert.ThrowsAsync<SecureClientException>(() => SecureClient.ConnectAsync(Options(server.Port, retries: 3)).WaitAsync(Bound));

        Assert.Equal(AlertDescription.ServerBusy, error.Alert);
        Assert.Equal(1, server.ConnectionsAccepted);
    }

    private static SecureClientOptions Options(int port, int retries) => ClientFactory.Pinned(port, TestKeys.Server.Fingerprint) with
    {
        BusyRetries = retries,
        BusyBackoff = TimeSpan.FromMilliseconds(1),
        BusyBackoffMax = TimeSpan.FromMilliseconds(5),
    };

    private sealed class RecordingObserver : IBusyRetryObserver
    {
        public List<(int Attempt, TimeSpan? RetryIn)> Refusals { get; } = [];

        public Action? OnRefused { get; init; }

        public void Refused(int attempt, TimeSpan? retryIn)
        {
            Refusals.Add((attempt, retryIn));
            OnRefused?.Invoke();
        }
    }

    /// <summary>Answers every connection with fixed bytes, half-closes, and reads until the client hangs up.</summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly byte[] _script;
        private readonly Task _accept;
        private int _connections;

        public ScriptedServer(byte[] script)
        {
            _script = script;
            _listener.Start();
            _accept = AcceptLoopAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int ConnectionsAccepted => Volatile.Read(ref _connections);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accept;
            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            try
            {
                while (true)
                {
                    using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    await ServeAsync(socket);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                || (e is InvalidOperationException && _stop.IsCancellationRequested))
            {
                // Disposed: the test is over. A loop that comes back for the next connection after the
                // listener stopped gets "not listening" (InvalidOperationException) instead.
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            try
            {
                await socket.SendAsync(_script, SocketFlags.None, _stop.Token);
                socket.Shutdown(SocketShutdown.Send);
                var sink = new byte[4096];
                while (await socket.ReceiveAsync(sink, SocketFlags.None, _stop.Token) > 0)
                {
                }
            }
            catch (SocketException)
            {
                // The client reset the connection: this one is done, the next may come.
            }
        }
    }
}
