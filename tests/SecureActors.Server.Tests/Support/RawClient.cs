using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SecureActors.Protocol;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;

namespace SecureActors.Server.Tests.Support;

/// <summary>A bare-socket SAP/1 client for behaviour the client library does not allow (e.g. never reading).</summary>
internal sealed class RawClient : IAsyncDisposable
{
    private RawClient(Socket socket, PipeReader reader, SecureChannel channel)
    {
        Socket = socket;
        Reader = reader;
        Channel = channel;
    }

    public Socket Socket { get; }

    public PipeReader Reader { get; }

    public SecureChannel Channel { get; }

    public static async Task<RawClient> ConnectAsync(IPEndPoint server, string fingerprint, int receiveBuffer = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        await socket.ConnectAsync(server);
        var reader = PipeReader.Create(new NetworkStream(socket, ownsSocket: false));
        using var machine = new ClientHandshake(ProtocolOptions.Default, new PinnedServerTrust(fingerprint));
        try
        {
            var result = await HandshakeAsync(socket, reader, machine);
            return new RawClient(socket, reader, result.Channel);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="machine"/> over the socket, crypto inline, within 10 s; throws if the handshake fails.</summary>
    public static async Task<HandshakeResult> HandshakeAsync(Socket socket, PipeReader reader, ClientHandshake machine)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var step = machine.Start();
        while (true)
        {
            if (!step.Output.IsEmpty)
            {
                await socket.SendAsync(step.Output, SocketFlags.None, timeout.Token);
            }

            switch (step.Status)
            {
                case HandshakeStatus.AwaitingCrypto when step.Operation is { } operation:
                    step = machine.Complete(operation.Execute());
                    break;
                case HandshakeStatus.AwaitingCrypto:
                case HandshakeStatus.NeedInput:
                    step = machine.Feed(await ReadFrameAsync(reader, timeout.Token));
                    break;
                case HandshakeStatus.Complete:
                    return step.Result!;
                default:
                    throw new InvalidOperationException($"handshake failed: {step.Failure}");
            }
        }
    }

    /// <summary>Reads one frame (owned copy), or throws at end of stream.</summary>
    public static async Task<Frame> ReadFrameAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (FrameReader.TryRead(buffer, out var consumed, out var examined, out var frame, out var failure) == FrameReadStatus.Complete)
            {
                var owned = frame.ToOwned();
                reader.AdvanceTo(consumed, examined);
                return owned;
            }

            reader.AdvanceTo(consumed, examined);
            if (failure is not null || read.IsCompleted)
            {
                throw new EndOfStreamException("the server closed the connection");
            }
        }
    }

    public async Task SendRequestAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(Channel.TryWriteRequest(payload.Span, output, out _));
        await Socket.SendAsync(output.WrittenMemory, SocketFlags.None, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Reader.CompleteAsync();
        Channel.Dispose();
        Socket.Dispose();
    }
}
