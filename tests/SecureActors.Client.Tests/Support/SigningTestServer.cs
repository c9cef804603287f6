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

/// <summary>How the signing test server gets its replies wrong (PROTOCOL.md §12).</summary>
public enum ReplySignature
{
    /// <summary>Correctly signed, counters 1, 2, 3, ….</summary>
    Valid,

    /// <summary>No flag, no block.</summary>
    Unsigned,

    /// <summary>A bit of the signature flipped.</summary>
    Tampered,

    /// <summary>Every reply signed with counter 1.</summary>
    RepeatedCounter,

    /// <summary>Signed for another session's room.</summary>
    WrongRoom,

    /// <summary>Flagged as signed but carrying only a few bytes.</summary>
    Malformed,

    /// <summary>Correctly signed, but with another key than the one the handshake proved.</summary>
    WrongKey,
}

/// <summary>
/// A loopback SAP/1 server that negotiates per-message signatures, checks each request's signature
/// against the client's key, and signs (or mis-signs) its echo replies as told. It records what it
/// saw so client tests can assert on both ends.
/// </summary>
internal sealed class SigningTestServer : LoopbackTestServer
{
    private readonly LocalIdentity _identity;

    public SigningTestServer(LocalIdentity identity, ReplySignature replies = ReplySignature.Valid, bool enableSignatures = true, ClientAuthPolicy clientAuth = ClientAuthPolicy.Optional)
    {
        _identity = identity;
        Replies = replies;
        Options = ProtocolOptions.Default with { MessageSignatures = enableSignatures, ClientAuthentication = clientAuth };
        StartAccepting();
    }


    public string Fingerprint => _identity.Fingerprint;

    public ProtocolOptions Options { get; }

    public ReplySignature Replies { get; }

    /// <summary>Pushes, correctly signed, sent before each reply.</summary>
    public bool PushBeforeEachReply { get; init; }

    /// <summary>For each request: whether it was flagged, and whether its block verified against the client's key.</summary>
    public ConcurrentQueue<(bool Signed, bool Verified, string Text)> Requests { get; } = new();

    /// <summary>Alerts the client sent.</summary>
    public ConcurrentQueue<AlertDescription> AlertsReceived { get; } = new();



    protected override async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = PipeReader.Create(stream);
        try
        {
            if (!await TestServerHandshake.ReadPrologueAsync(reader, Stopping))
            {
                return;
            }

            using var machine = new ServerHandshake(Options, _identity, new AnyKey());
            var result = await TestServerHandshake.RunAsync(machine, reader, stream, Stopping);
            if (result is null)
            {
                return;
            }

            using var session = new Session(this, result);
            await session.RunAsync(reader, stream, Stopping);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }



    /// <summary>One established connection: its channel, the client's key and the server's counter.</summary>
    private sealed class Session(SigningTestServer server, HandshakeResult result) : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _output = new();
        private ulong _counter;

        public async Task RunAsync(PipeReader reader, Stream stream, CancellationToken cancellationToken)
        {
            foreach (var frame in result.BufferedFrames)
            {
                Handle(frame);
            }

            while (true)
            {
                await FlushAsync(stream, cancellationToken);
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                var open = true;
                while (open && FrameReader.TryRead(buffer, out var consumed, out _, out var frame, out _) == FrameReadStatus.Complete)
                {
                    open = Handle(frame);
                    buffer = buffer.Slice(consumed);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (!open || read.IsCompleted)
                {
                    await FlushAsync(stream, cancellationToken);
                    return;
                }
            }
        }

        public void Dispose() => result.Channel.Dispose();

        private async Task FlushAsync(Stream stream, CancellationToken cancellationToken)
        {
            if (_output.WrittenCount > 0)
            {
                await stream.WriteAsync(_output.WrittenMemory, cancellationToken);
                _output.ResetWrittenCount();
            }
        }

        private bool Handle(in Frame frame)
        {
            var channel = result.Channel;
            foreach (var received in channel.ReceiveAll(frame, _output))
            {
                if (!HandleEvent(channel, received))
                {
                    return false;
                }
            }

            return true;
        }

        private bool HandleEvent(SecureChannel channel, in ChannelEvent received)
        {
            switch (received.Kind)
            {
                case ChannelEventKind.Message when received.MessageKind == MessageKind.Request:
                    var application = Record(received.Signed, received.Payload);
                    if (server.PushBeforeEachReply && channel.MessageSignatures)
                    {
                        channel.TryWritePush(Sign(ReplySignature.Valid, "push: " + application), _output, out _, signed: true);
                    }

                    var forgery = server.Replies;
                    var reply = "echo: " + application;
                    if (forgery == ReplySignature.Unsigned || !channel.MessageSignatures)
                    {
                        channel.TryWriteReply(received.Id, System.Text.Encoding.UTF8.GetBytes(reply), _output);
                    }
                    else
                    {
                        channel.TryWriteReply(received.Id, Sign(forgery, reply), _output, signed: true);
                    }

                    return true;
                case ChannelEventKind.Closed:
                    channel.TryWriteClose(_output);
                    return false;
                case ChannelEventKind.Failed:
                    if (received.Failure!.ReceivedFromPeer)
                    {
                        server.AlertsReceived.Enqueue(received.Failure.Alert);
                    }

                    return false;
                default:
                    return true;
            }
        }

        private string Record(bool signed, ReadOnlySpan<byte> payload)
        {
            var verified = signed
                && result.Peer is { } client
                && MessageSignature.TryParse(payload, out var message)
                && MessageSignature.Verify(client, result.SessionId, message!);
            var text = System.Text.Encoding.UTF8.GetString(verified && MessageSignature.TryParse(payload, out var parsed) ? parsed!.Application : payload);
            server.Requests.Enqueue((signed, verified, text));
            return text;
        }

        private byte[] Sign(ReplySignature how, string text)
        {
            var application = System.Text.Encoding.UTF8.GetBytes(text);
            var counter = how == ReplySignature.RepeatedCounter ? 1 : ++_counter;
            var room = how == ReplySignature.WrongRoom ? new string('0', 32) : result.SessionId;
            var signer = how == ReplySignature.WrongKey ? TestKeys.OtherServer : server._identity;
            var payload = MessageSignature.Sign(signer, room, counter, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), application);
            switch (how)
            {
                case ReplySignature.Tampered:
                    payload[MessageSignature.FixedBlockLength] ^= 0x80;
                    break;
                case ReplySignature.Malformed:
                    return payload[..10];
            }

            return payload;
        }
    }

    /// <summary>Accepts every client key (the tests are about signatures, not authorisation).</summary>
    private sealed class AnyKey : IClientAuthorizer
    {
        public string? Authorize(PeerIdentity clientKey, IPAddress? remoteAddress) => "test client";
    }
}
