using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SecureActors.Client.Tests.Support;

/// <summary>
/// A listener on 127.0.0.1 (any free port) that serves each accepted socket on its own task until
/// disposed; disposal stops accepting, cancels <see cref="Stopping"/> and waits (bounded) for every
/// session to end.
/// </summary>
internal abstract class LoopbackTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _sessions = [];
    private Task _accept = Task.CompletedTask;

    /// <summary>The port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Cancelled when the server is disposed.</summary>
    protected CancellationToken Stopping => _stop.Token;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(_sessions).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    /// <summary>Serves one accepted connection; the socket is the session's to dispose.</summary>
    protected abstract Task ServeAsync(Socket socket);

    /// <summary>Binds and starts accepting; called last by the derived constructor, once its own state is set.</summary>
    protected void StartAccepting()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            _sessions.Add(Task.Run(() => ServeAsync(socket)));
        }
    }
}
