using System.Buffers;
using SecureActors.Protocol;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;

namespace SecureActors.Server.Tests.Support;

/// <summary>Plays a real SAP/1 client against a session over a <see cref="FakeConnection"/>.</summary>
internal sealed class ClientDriver(FakeConnection connection, string serverFingerprint, LocalIdentity? identity = null) : IDisposable
{
    private readonly ClientHandshake _machine = new(ProtocolOptions.Default, new PinnedServerTrust(serverFingerprint), identity);
    private SecureChannel? _channel;

    private readonly Queue<(ChannelEventKind Kind, ulong Id, byte[] Payload, AlertDescription? Alert)> _decoded = new();

    public SecureChannel Channel => _channel ?? throw new InvalidOperationException("no handshake yet");

    /// <summary>Runs the client side; <paramref name="beforeFinalFlight"/> runs just before the client's last flight (its Finished) is delivered.</summary>
    public async Task<HandshakeResult> HandshakeAsync(Func<Task>? beforeFinalFlight = null)
    {
        var step = _machine.Start();
        var first = true;
        while (true)
        {
            var output = step.Output;
            if (first && output.Length >= Prologue.Length)
            {
                // The socket transport checks and strips the magic before framing; so does this fake.
                output = output[Prologue.Length..];
                first = false;
            }

            if (step.Status == HandshakeStatus.Complete && beforeFinalFlight is not null)
            {
                await beforeFinalFlight();
            }

            if (!output.IsEmpty)
            {
                await connection.DeliverAsync(output);
            }

            switch (step.Status)
            {
                case HandshakeStatus.AwaitingCrypto when step.Operation is { } operation:
                    step = _machine.Complete(operation.Execute());
                    break;
                case HandshakeStatus.AwaitingCrypto:
                case HandshakeStatus.NeedInput:
                    step = _machine.Feed(await connection.ReadFrameAsync());
                    break;
                case HandshakeStatus.Complete:
                    _channel = step.Result!.Channel;
                    return step.Result;
                default:
                    throw new InvalidOperationException($"client handshake failed: {step.Failure}");
            }
        }
    }

    public async Task<ulong> SendRequestAsync(byte[] payload)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(Channel.TryWriteRequest(payload, output, out var id));
        await connection.DeliverAsync(output.WrittenMemory);
        return id;
    }

    public async Task SendCloseNotifyAsync()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(Channel.TryWriteClose(output));
        await connection.DeliverAsync(output.WrittenMemory);
    }

    /// <summary>Reads records until one yields an event other than None; returns its kind, id and payload (a batched record's messages one call each).</summary>
    public async Task<(ChannelEventKind Kind, ulong Id, byte[] Payload, AlertDescription? Alert)> ReceiveAsync(TimeSpan? timeout = null)
    {
        var output = new ArrayBufferWriter<byte>();
        while (true)
        {
            if (_decoded.Count > 0)
            {
                return _decoded.Dequeue();
            }

            var frame = await connection.ReadFrameAsync(timeout);
            foreach (var received in Channel.ReceiveAll(frame, output))
            {
                Decode(received);
            }
        }
    }

    private void Decode(in ChannelEvent @event)
    {
        if (@event.Kind != ChannelEventKind.None)
        {
            _decoded.Enqueue((@event.Kind, @event.Id, @event.Payload.ToArray(), @event.Failure?.Alert));
        }
    }

    public void Dispose()
    {
        _machine.Dispose();
        _channel?.Dispose();
    }
}
