using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SecureActors.Protocol;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;

namespace SecureActors.Client.Tests.Support;

/// <summary>What the test server does with a request.</summary>
internal enum TestServerBehavior
{
    Echo,
    NeverReply,
    AlertOnRequest,
    DropOnRequest,
    CloseOnRequest,

    /// <summary>Echoes with the last byte flipped.</summary>
    CorruptReplies,

    /// <summary>Answers requests 1 and 2 with each other's payload, 3 and 4 likewise, and so on.</summary>
    SwapPairs,
}

/// <summary>
/// A minimal SAP/1 server on 127.0.0.1 built from the protocol library's server handshake and record
/// layer, with fault knobs. It lets the client be tested without the actor server, and shows the
/// server-side use of the same machines.
/// </summary>
internal sealed class TestServer : LoopbackTestServer
{
    /// <summary>What a full server sends before closing (PROTOCOL.md §4): plaintext alert record, fatal, server_busy (240).</summary>
    public static readonly byte[] ServerBusyAlert = [0x15, 0x00, 0x02, 0x02, 0xF0];

    private readonly LocalIdentity _identity;

    public TestServer(LocalIdentity identity, ProtocolOptions? options = null, IClientAuthorizer? authorizer = null)
    {
        _identity = identity;
        Options = options ?? ProtocolOptions.Default;
        Authorizer = authorizer;
        StartAccepting();
    }


    public string Fingerprint => _identity.Fingerprint;

    public ProtocolOptions Options { get; }

    public IClientAuthorizer? Authorizer { get; }

    public TestServerBehavior Behavior { get; set; } = TestServerBehavior.Echo;

    /// <summary>Messages pushed right after each handshake ("push-1", "push-2", …).</summary>
    public int PushesAfterHandshake { get; set; }

    /// <summary>Completes the handshake, then sends nothing and ignores everything (handshake-timeout and close tests).</summary>
    public bool SilentBeforeHandshake { get; set; }

    public int HandshakesCompleted => Volatile.Read(ref _handshakes);

    public int CloseNotifiesReceived => Volatile.Read(ref _closeNotifies);

    public int RequestsReceived => Volatile.Read(ref _requests);

    /// <summary>How many connections had been accepted when the first request arrived (-1: none arrived yet).</summary>
    public int ConnectionsAcceptedAtFirstRequest => Volatile.Read(ref _acceptedAtFirstRequest);

    /// <summary>Connections accepted, refused ones included.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _connections);

    /// <summary>Connections refused with <see cref="ServerBusyAlert"/>.</summary>
    public int BusyRefusalsSent => Volatile.Read(ref _busyRefusalsSent);

    /// <summary>The next <paramref name="count"/> connections are refused as a full server refuses them: <see cref="ServerBusyAlert"/>, then close.</summary>
    public void RefuseNextConnectionsAsBusy(int count) => Volatile.Write(ref _busyRefusalsLeft, count);

    private readonly ConcurrentDictionary<SecureChannel, byte[]> _held = new();
    private int _handshakes;
    private int _closeNotifies;
    private int _requests;
    private int _acceptedAtFirstRequest = -1;
    private int _connections;
    private int _busyRefusalsLeft;
    private int _busyRefusalsSent;



    protected override async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = PipeReader.Create(stream);
        try
        {
            Interlocked.Increment(ref _connections);
            if (Interlocked.Decrement(ref _busyRefusalsLeft) >= 0)
            {
                // Like the real listener: the alert at once, half-close, and read until the client hangs up
                // so the alert is not lost to a reset.
                Interlocked.Increment(ref _busyRefusalsSent);
                await stream.WriteAsync(ServerBusyAlert, Stopping);
                socket.Shutdown(SocketShutdown.Send);
                await DrainUntilClosedAsync(reader);
                return;
            }

            if (!await TestServerHandshake.ReadPrologueAsync(reader, Stopping) || SilentBeforeHandshake)
            {
                if (SilentBeforeHandshake)
                {
                    await DrainUntilClosedAsync(reader);
                }

                return;
            }

            using var machine = new ServerHandshake(Options, _identity, Authorizer, ((IPEndPoint)socket.RemoteEndPoint!).Address);
            var result = await TestServerHandshake.RunAsync(machine, reader, stream, Stopping);
            if (result is null)
            {
                return;
            }

            Interlocked.Increment(ref _handshakes);
            using var channel = result.Channel;
            await ServeSessionAsync(channel, result.BufferedFrames, reader, stream, socket);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }



    private async Task ServeSessionAsync(SecureChannel channel, IReadOnlyList<Frame> buffered, PipeReader reader, Stream stream, Socket socket)
    {
        var output = new ArrayBufferWriter<byte>();
        for (var i = 1; i <= PushesAfterHandshake; i++)
        {
            channel.TryWritePush(System.Text.Encoding.UTF8.GetBytes($"push-{i}"), output, out _);
        }

        foreach (var frame in buffered)
        {
            if (Handle(channel, frame, output) != SessionAction.Continue)
            {
                await stream.WriteAsync(output.WrittenMemory, Stopping);
                return;
            }
        }

        await stream.WriteAsync(output.WrittenMemory, Stopping);
        output.ResetWrittenCount();
        while (true)
        {
            var read = await reader.ReadAsync(Stopping);
            var buffer = read.Buffer;
            var action = SessionAction.Continue;
            while (action == SessionAction.Continue
                && FrameReader.TryRead(buffer, out var consumed, out _, out var frame, out _) == FrameReadStatus.Complete)
            {
                action = Handle(channel, frame, output);
                buffer = buffer.Slice(consumed);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            await stream.WriteAsync(output.WrittenMemory, Stopping);
            output.ResetWrittenCount();
            if (action == SessionAction.Drop)
            {
                socket.Close(0);
                return;
            }

            if (action == SessionAction.End || read.IsCompleted)
            {
                socket.Shutdown(SocketShutdown.Send);
                await DrainUntilClosedAsync(reader);
                return;
            }
        }
    }

    private SessionAction Handle(SecureChannel channel, in Frame frame, ArrayBufferWriter<byte> output)
    {
        // A batched record (PROTOCOL.md §8.7) carries several requests: each is handled in turn.
        foreach (var received in channel.ReceiveAll(frame, output))
        {
            var action = HandleEvent(channel, received, output);
            if (action != SessionAction.Continue)
            {
                return action;
            }
        }

        return SessionAction.Continue;
    }

    private SessionAction HandleEvent(SecureChannel channel, in ChannelEvent received, ArrayBufferWriter<byte> output)
    {
        switch (received.Kind)
        {
            case ChannelEventKind.Message when received.MessageKind == MessageKind.Request:
                if (Interlocked.Increment(ref _requests) == 1)
                {
                    Volatile.Write(ref _acceptedAtFirstRequest, ConnectionsAccepted);
                }

                switch (Behavior)
                {
                    case TestServerBehavior.Echo:
                        channel.TryWriteReply(received.Id, received.Payload, output);
                        return SessionAction.Continue;
                    case TestServerBehavior.AlertOnRequest:
                        channel.TryWriteAlert(AlertDescription.InternalError, output);
                        return SessionAction.End;
                    case TestServerBehavior.DropOnRequest:
                        return SessionAction.Drop;
                    case TestServerBehavior.CorruptReplies:
                    {
                        var corrupted = received.Payload.ToArray();
                        corrupted[^1] ^= 0xFF;
                        channel.TryWriteReply(received.Id, corrupted, output);
                        return SessionAction.Continue;
                    }

                    case TestServerBehavior.SwapPairs when received.Id % 2 == 1:
                        _held[channel] = received.Payload.ToArray();
                        return SessionAction.Continue;
                    case TestServerBehavior.SwapPairs:
                        channel.TryWriteReply(received.Id - 1, received.Payload, output);
                        channel.TryWriteReply(received.Id, _held[channel], output);
                        return SessionAction.Continue;
                    case TestServerBehavior.CloseOnRequest:
                        channel.TryWriteClose(output);
                        return SessionAction.Continue;
                    default:
                        return SessionAction.Continue;
                }

            case ChannelEventKind.Closed:
                Interlocked.Increment(ref _closeNotifies);
                channel.TryWriteClose(output);
                return SessionAction.End;
            case ChannelEventKind.Failed:
                return SessionAction.End;
            default:
                return SessionAction.Continue;
        }
    }

    private async Task DrainUntilClosedAsync(PipeReader reader)
    {
        while (true)
        {
            var read = await reader.ReadAsync(Stopping);
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    private enum SessionAction
    {
        Continue,
        End,
        Drop,
    }
}
