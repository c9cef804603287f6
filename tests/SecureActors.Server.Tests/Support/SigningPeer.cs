using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SecureActors.Protocol;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;

namespace SecureActors.Server.Tests.Support;

/// <summary>What the server sent, as the peer's record layer saw it.</summary>
internal sealed record PeerEvent(ChannelEventKind Kind, MessageKind MessageKind, ulong Id, bool Signed, byte[] Payload, AlertDescription? Alert, bool AlertFromServer);

/// <summary>
/// A bare-socket SAP/1 client that can put anything in a request's signature block (PROTOCOL.md §12):
/// the hostile half of the per-message signature tests. It negotiates with the options it is given,
/// proves <see cref="Identity"/> when the server asks, and reads the server's records itself.
/// </summary>
internal sealed class SigningPeer : IAsyncDisposable
{
    private readonly Queue<PeerEvent> _decoded = new();

    private readonly Socket _socket;
    private readonly PipeReader _reader;

    private SigningPeer(Socket socket, PipeReader reader, HandshakeResult result, LocalIdentity? identity)
    {
        _socket = socket;
        _reader = reader;
        Result = result;
        Identity = identity;
    }

    public HandshakeResult Result { get; }

    public SecureChannel Channel => Result.Channel;

    /// <summary>The session id in lower-case hex: the room every signature of this session is bound to.</summary>
    public string Room => Result.SessionId;

    public LocalIdentity? Identity { get; }

    public static async Task<SigningPeer> ConnectAsync(IPEndPoint server, string fingerprint, LocalIdentity? identity, bool offerSignatures = true)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(server);
            var reader = PipeReader.Create(new NetworkStream(socket, ownsSocket: false));
            using var machine = new ClientHandshake(ProtocolOptions.Default with { MessageSignatures = offerSignatures }, new PinnedServerTrust(fingerprint), identity);
            var result = await RawClient.HandshakeAsync(socket, reader, machine);
            return new SigningPeer(socket, reader, result, identity);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A correctly signed payload for this session.</summary>
    public byte[] Sign(ulong counter, byte[] application, string? room = null) =>
        MessageSignature.Sign(Identity!, room ?? Room, counter, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), application);

    /// <summary>Sends one request with exactly this payload and flag.</summary>
    public async Task SendRequestAsync(byte[] payload, bool signed)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(Channel.TryWriteRequest(payload, output, out _, signed));
        await _socket.SendAsync(output.WrittenMemory, SocketFlags.None);
    }

    /// <summary>Reads records until one means something to the application (a message, a close, a failure).</summary>
    public async Task<PeerEvent> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Await.Bound);
        var output = new ArrayBufferWriter<byte>();
        while (true)
        {
            if (_decoded.Count > 0)
            {
                return _decoded.Dequeue();
            }

            var frame = await RawClient.ReadFrameAsync(_reader, timeout.Token);
            foreach (var received in Channel.ReceiveAll(frame, output))
            {
                Decode(received);
            }
        }
    }

    private void Decode(in ChannelEvent received)
    {
        if (received.Kind != ChannelEventKind.None)
        {
            _decoded.Enqueue(new PeerEvent(
                received.Kind,
                received.MessageKind,
                received.Id,
                received.Signed,
                received.Payload.ToArray(),
                received.Failure?.Alert,
                received.Failure?.ReceivedFromPeer ?? false));
        }
    }

    /// <summary>Reads until the server's fatal alert arrives and returns it.</summary>
    public async Task<AlertDescription> ReceiveAlertAsync()
    {
        while (true)
        {
            var received = await ReceiveAsync();
            if (received.Kind == ChannelEventKind.Failed)
            {
                Assert.True(received.AlertFromServer, $"the peer itself failed with {received.Alert}");
                return received.Alert!.Value;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        Channel.Dispose();
        _socket.Dispose();
    }
}
