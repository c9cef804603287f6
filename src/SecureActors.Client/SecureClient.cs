using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using SecureActors.Client.Connection;
using SecureActors.Client.Trust;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;

namespace SecureActors.Client;

/// <summary>
/// One SAP/1 session with a SecureActors server: an authenticated, encrypted request/reply channel.
/// <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/> may be called concurrently; the
/// requests are pipelined on the connection and each call gets its own reply. Messages the server sends
/// on its own arrive on <see cref="PushedMessages"/>. End the session with <see cref="CloseAsync"/>
/// (the <c>EXIT</c> command: close_notify both ways); <see cref="DisposeAsync"/> closes abruptly if
/// that was not done.
/// </summary>
public sealed class SecureClient : IAsyncDisposable
{
    private readonly ClientConnection _connection;
    private readonly SecureClientOptions _options;
    private readonly LocalIdentity? _ownedIdentity;
    private int _disposed;

    private SecureClient(ClientConnection connection, HandshakeResult result, SecureClientOptions options, EndPoint? remote, LocalIdentity? ownedIdentity)
    {
        _connection = connection;
        _options = options;
        _ownedIdentity = ownedIdentity;
        ServerFingerprint = result.Peer!.Fingerprint;
        Suite = result.Suite;
        Group = result.Group;
        SessionId = result.SessionId;
        TrustMessage = result.TrustMessage;
        RemoteEndPoint = remote;
        MaxRequestSize = connection.MaxRequestSize;
    }

    /// <summary>The server's <c>SHA256:…</c> key fingerprint, verified by the handshake.</summary>
    public string ServerFingerprint { get; }

    /// <summary>The negotiated record-protection suite.</summary>
    public CipherSuite Suite { get; }

    /// <summary>The key-exchange group used.</summary>
    public NamedGroup Group { get; }

    /// <summary>The session id both ends derived (hex), for correlating logs.</summary>
    public string SessionId { get; }

    /// <summary>What the trust check decided about the server key (e.g. "new server key … recorded").</summary>
    public string? TrustMessage { get; }

    /// <summary>The server's address.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The largest request the server accepts (announced in its handshake, less the signature block when requests are signed).</summary>
    public int MaxRequestSize { get; }

    /// <summary>
    /// Whether per-message signatures are in use (both ends enabled them; PROTOCOL.md §12): requests
    /// are signed with the client's key, and every reply and push has been verified against the
    /// server's key before it is delivered. A message failing that check ends the session with a
    /// <see cref="MessageSignatureException"/>.
    /// </summary>
    public bool MessageSignatures => _connection.MessageSignatures;

    /// <summary>Whether requests and replies may share records on this session (PROTOCOL.md §8.7; both ends agreed).</summary>
    public bool MessageBatching => _connection.MessageBatching;

    /// <summary>Messages the server pushed without a request, in arrival order. Completes when the session ends.</summary>
    public ChannelReader<ReadOnlyMemory<byte>> PushedMessages => _connection.Pushes;

    /// <summary>Pushed messages dropped because <see cref="PushedMessages"/> was not read fast enough.</summary>
    public long DroppedPushedMessages => _connection.DroppedPushes;

    /// <summary>Requests sent whose reply has not arrived yet.</summary>
    public int OutstandingRequests => _connection.OutstandingRequests;

    /// <summary>True until the session ends (closed, failed or disposed).</summary>
    public bool IsConnected => _connection.TerminalError is null;

    /// <summary>Completes when the session has ended and its socket is released; never faults.</summary>
    public Task Completion => _connection.Completion;

    /// <summary>Why the session ended, once it has.</summary>
    public Exception? TerminationReason => _connection.TerminalError;

    internal ClientConnection Connection => _connection;

    /// <summary>
    /// Connects, runs the handshake (server signature, Finished and trust checked before anything is
    /// sent) and returns the established session. A server at capacity refuses with server_busy; the
    /// connect is then retried up to <see cref="SecureClientOptions.BusyRetries"/> times with
    /// exponential backoff and jitter (<see cref="SecureClientOptions.BusyBackoff"/>,
    /// <see cref="SecureClientOptions.BusyBackoffMax"/>). No other failure is retried.
    /// </summary>
    /// <exception cref="ServerBusyException">The server was at capacity on every attempt.</exception>
    /// <exception cref="SecureClientConnectionException">The server is unreachable or dropped the connection.</exception>
    /// <exception cref="SecureClientTimeoutException">Connect or handshake exceeded its deadline.</exception>
    /// <exception cref="ServerKeyChangedException">The server's key differs from the recorded or pinned one.</exception>
    /// <exception cref="ServerNotTrustedException">The server's key is unknown under strict known_hosts.</exception>
    /// <exception cref="SecureClientException">The handshake failed with an alert (see <see cref="SecureClientException.Alert"/>).</exception>
    public static Task<SecureClient> ConnectAsync(SecureClientOptions options, CancellationToken cancellationToken = default) =>
        ConnectAsync(options, busyObserver: null, cancellationToken);

    /// <summary><see cref="ConnectAsync(SecureClientOptions, CancellationToken)"/>, telling <paramref name="busyObserver"/> about each server_busy refusal.</summary>
    internal static async Task<SecureClient> ConnectAsync(SecureClientOptions options, IBusyRetryObserver? busyObserver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var backoff = options.BusyRetries > 0 ? new BusyBackoff(options.BusyBackoff, options.BusyBackoffMax, Random.Shared.NextDouble) : null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ConnectOnceAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (ServerBusyException refused)
            {
                if (backoff is null || attempt > options.BusyRetries)
                {
                    busyObserver?.Refused(attempt, retryIn: null);
                    if (attempt == 1)
                    {
                        throw;
                    }

                    throw new ServerBusyException(refused.Server ?? $"{options.Host}:{options.Port}", attempt);
                }

                var wait = backoff.DelayBefore(attempt);
                busyObserver?.Refused(attempt, wait);
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<SecureClient> ConnectOnceAsync(SecureClientOptions options, CancellationToken cancellationToken)
    {
        var protocolOptions = options.ToProtocolOptions();
        var trust = new ObservedTrust(CreateTrust(options));
        var ownedIdentity = options.Identity is null && options.IdentityKeyPath is { } keyPath ? LoadIdentity(keyPath) : null;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await ConnectSocketAsync(socket, options, cancellationToken).ConfigureAwait(false);
            // 32 KiB segments take the largest record (16,404 bytes) in one read; 16 KiB ones needed a second
            // read and a copy to join the two parts before the record could be opened.
            var reader = PipeReader.Create(
                new NetworkStream(socket, ownsSocket: false),
                new StreamPipeReaderOptions(bufferSize: 32 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true, useZeroByteReads: true));
            HandshakeResult result;
            var identity = options.Identity ?? ownedIdentity;
            using (var machine = new ClientHandshake(protocolOptions, trust, identity))
            {
                result = await HandshakeAsync(machine, socket, reader, options, trust, cancellationToken).ConfigureAwait(false);
            }

            // Negotiated only if we offered, and we offer only with an identity (ToProtocolOptions); we sign
            // only if the server asked for that identity, since it cannot check a key it never saw.
            var signatures = result.Channel.MessageSignatures
                ? ClientMessageSignatures.Create(result.ClientProvedIdentity ? identity : null, result.Peer!, result.SessionId, protocolOptions.TimeProvider)
                : null;
            var connection = new ClientConnection(socket, reader, result.Channel, result.BufferedFrames, options.PushBufferCapacity, signatures);
            var client = new SecureClient(connection, result, options, socket.RemoteEndPoint, ownedIdentity);
            connection.Start();
            return client;
        }
        catch
        {
            socket.Dispose();
            ownedIdentity?.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request and returns its reply. Concurrent calls are pipelined.</summary>
    /// <exception cref="ArgumentException">The payload exceeds <see cref="MaxRequestSize"/>.</exception>
    /// <exception cref="SecureClientTimeoutException">No reply within <see cref="SecureClientOptions.RequestTimeout"/> (the session stays usable).</exception>
    /// <exception cref="SecureClientException">The session ended before the reply (see <see cref="TerminationReason"/>).</exception>
    public async Task<ReadOnlyMemory<byte>> SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var promise = new ReplyPromise();
        if (!_connection.TrySend(request.Span, promise, 0))
        {
            throw NotSendable();
        }

        if (_options.RequestTimeout == Timeout.InfiniteTimeSpan)
        {
            return await promise.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await promise.Task.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            // The reply may still arrive later; correlation is positional, so it is consumed and dropped then.
            throw new SecureClientTimeoutException($"request (reply awaited for {_options.RequestTimeout.TotalSeconds:0.###} s)", ex);
        }
    }

    /// <summary>Sends <paramref name="request"/> as UTF-8 and returns the reply decoded as UTF-8.</summary>
    public async Task<string> SendAsync(string request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reply = await SendAsync(Encoding.UTF8.GetBytes(request), cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(reply.Span);
    }

    /// <summary>
    /// Ends the session cleanly: waits for outstanding replies, sends close_notify (<c>EXIT</c>) and waits
    /// for the server's close_notify, all within <see cref="SecureClientOptions.CloseTimeout"/>.
    /// Returns normally if the server had already closed the session cleanly.
    /// </summary>
    /// <exception cref="SecureClientTimeoutException">The server did not answer close_notify in time (the connection is then dropped).</exception>
    /// <exception cref="SecureClientException">The session had already failed, or the server cut the connection instead of closing.</exception>
    public Task CloseAsync(CancellationToken cancellationToken = default) =>
        _connection.CloseAsync(_options.CloseTimeout, cancellationToken);

    /// <summary>Releases the session. Without a prior <see cref="CloseAsync"/> the connection is dropped without close_notify.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _connection.Abort(new ObjectDisposedException(nameof(SecureClient)));
        await _connection.Completion.ConfigureAwait(false);
        _ownedIdentity?.Dispose();
    }

    /// <summary>Sends a request whose reply goes to <paramref name="handler"/> on the receive loop (the load client's allocation-free path).</summary>
    internal bool TrySend(ReadOnlySpan<byte> request, IReplyHandler handler, long token) =>
        _connection.TrySend(request, handler, token);

    /// <summary>The options' trust policy: a custom one as given, else the pin or known_hosts (read once per call).</summary>
    internal static IServerTrust CreateTrust(SecureClientOptions options)
    {
        try
        {
            return options.ServerTrust ?? ClientTrust.For(options);
        }
        catch (Exception ex) when (ex is KeyFileException or IOException or UnauthorizedAccessException)
        {
            throw new SecureClientException($"cannot read the known_hosts file '{options.KnownHostsPath}': {ex.Message}", ex);
        }
    }

    /// <summary>Reads the client's PKCS#8 PEM key through the protocol library (which refuses unsafe file modes).</summary>
    internal static LocalIdentity LoadIdentity(string path)
    {
        try
        {
            return KeyFile.Load(SecureClientOptions.ExpandHome(path));
        }
        catch (Exception ex) when (ex is KeyFileException or IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            throw new SecureClientException($"cannot load the client identity key '{path}': {ex.Message}", ex);
        }
    }

    private static async Task ConnectSocketAsync(Socket socket, SecureClientOptions options, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SecureClientTimeoutException("connect", options.ConnectTimeout);
        }
        catch (SocketException ex)
        {
            throw new SecureClientConnectionException($"cannot connect to {options.Host}:{options.Port}: {ex.Message}", ex);
        }
    }

    private static async Task<HandshakeResult> HandshakeAsync(
        ClientHandshake machine, Socket socket, PipeReader reader, SecureClientOptions options, ObservedTrust trust, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.HandshakeTimeout);
        (HandshakeResult? Result, ProtocolFailure? Failure, bool OnFirstRecord) outcome;
        try
        {
            outcome = await HandshakeDriver.RunAsync(machine, socket, reader, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SecureClientTimeoutException("handshake", options.HandshakeTimeout);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            throw new SecureClientConnectionException($"the connection to {options.Host}:{options.Port} failed during the handshake: {ex.Message}", ex);
        }

        if (outcome.Result is { } result)
        {
            return result;
        }

        throw MapHandshakeFailure(outcome.Failure!, outcome.OnFirstRecord, options, trust);
    }

    private static SecureClientException MapHandshakeFailure(ProtocolFailure failure, bool onFirstRecord, SecureClientOptions options, ObservedTrust trust)
    {
        // §4: server_busy is a refusal only as the server's first record; anywhere else it is just fatal.
        if (failure is { ReceivedFromPeer: true, Alert: AlertDescription.ServerBusy } && onFirstRecord)
        {
            return new ServerBusyException($"{options.Host}:{options.Port}", attempts: 1);
        }

        if (trust.Rejected is { } rejected && !failure.ReceivedFromPeer && failure.Alert == AlertDescription.BadCertificate)
        {
            var host = $"{options.Host}:{options.Port}";
            var recorded = (trust.Inner as ClientTrust)?.ExpectedFingerprint();
            return recorded is not null
                ? new ServerKeyChangedException(host, recorded, rejected.Server.Fingerprint)
                : new ServerNotTrustedException(rejected.Decision.Message, rejected.Server.Fingerprint);
        }

        return SecureClientException.FromFailure(failure, failure.ReceivedFromPeer
            ? $"the server refused the handshake with {options.Host}:{options.Port}"
            : $"the handshake with {options.Host}:{options.Port} failed");
    }

    private SecureClientException NotSendable() => _connection.TerminalError switch
    {
        SecureClientException error => new SecureClientException("the session has ended: " + error.Message, error.Alert, error.ReceivedFromServer, error),
        ObjectDisposedException => throw new ObjectDisposedException(nameof(SecureClient)),
        { } other => new SecureClientConnectionException("the session has ended: " + other.Message, other),
        null => new SecureClientException("the session is closing; no new requests are accepted"),
    };

    /// <summary>A per-request task for the public API; the load client avoids this allocation.</summary>
    private sealed class ReplyPromise() : TaskCompletionSource<ReadOnlyMemory<byte>>(TaskCreationOptions.RunContinuationsAsynchronously), IReplyHandler
    {
        public void OnReply(ReadOnlySpan<byte> payload, long token, long receivedAt) => TrySetResult(payload.ToArray());

        public void OnFailed(Exception error, long token) => TrySetException(error);
    }

    /// <summary>Remembers the trust decision of this connection, so a rejection can name both fingerprints.</summary>
    private sealed class ObservedTrust(IServerTrust inner) : IServerTrust
    {
        public IServerTrust Inner => inner;

        public (PeerIdentity Server, TrustDecision Decision)? Rejected { get; private set; }

        public TrustDecision Evaluate(PeerIdentity serverKey)
        {
            var decision = inner.Evaluate(serverKey);
            if (!decision.Trusted)
            {
                Rejected = (serverKey, decision);
            }

            return decision;
        }
    }
}
