using System.Buffers;
using System.Net;
using System.Threading.Channels;
using SecureActors.Actors.Actor;
using SecureActors.Protocol.Framing;
using SecureActors.Server.Transport;

namespace SecureActors.Server.Tests.Support;

/// <summary>An in-memory transport for session tests: captures what the session sends, lets the test deliver frames.</summary>
internal sealed class FakeConnection : IConnection
{
    private readonly Channel<byte[]> _sent = Channel.CreateUnbounded<byte[]>();
    private readonly TaskCompletionSource<IActorRef> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _pending = [];
    private int _writes;

    public IPEndPoint Remote { get; } = new(IPAddress.Loopback, 40000);

    public InboundGate Gate { get; } = new(64);

    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Aborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, sends fail as if the outbound queue were full (a client that stopped reading).</summary>
    public bool RefuseSends { get; set; }

    public Task<IActorRef> Started => _started.Task;

    /// <summary>How many times the session handed bytes over for the socket (each would be one socket write).</summary>
    public int Writes => Volatile.Read(ref _writes);

    public void Start(IActorRef owner) => _started.TrySetResult(owner);

    public bool TrySend(ReadOnlyMemory<byte> bytes)
    {
        if (RefuseSends)
        {
            return false;
        }

        Interlocked.Increment(ref _writes);
        _sent.Writer.TryWrite(bytes.ToArray());
        return true;
    }

    public void Close() => Closed.TrySetResult();

    public void Abort() => Aborted.TrySetResult();

    /// <summary>Delivers the client's bytes (prologue stripped by the caller) to the session as whole frames, in one message as one socket read would.</summary>
    public async Task DeliverAsync(ReadOnlyMemory<byte> bytes)
    {
        var owner = await Started.WaitAsync(TimeSpan.FromSeconds(5));
        var sequence = new ReadOnlySequence<byte>(bytes);
        var count = 0;
        while (!sequence.IsEmpty)
        {
            var status = FrameReader.TryRead(sequence, out var consumed, out _, out _, out _);
            if (status != FrameReadStatus.Complete)
            {
                throw new InvalidOperationException($"test sent an incomplete or invalid frame ({status})");
            }

            count++;
            sequence = sequence.Slice(consumed);
        }

        Gate.FramesHandedOver(count);
        owner.Tell(TransportProtocol.RecordsReceived.Of(bytes.Span, count), ActorRefs.NoSender);
    }

    /// <summary>Reads the next whole frame the session sent, waiting at most <paramref name="timeout"/>.</summary>
    public async Task<Frame> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_pending);
            if (FrameReader.TryRead(sequence, out var consumed, out _, out var frame, out _) == FrameReadStatus.Complete)
            {
                var owned = frame.ToOwned();
                _pending = sequence.Slice(consumed).ToArray();
                return owned;
            }

            var more = await _sent.Reader.ReadAsync(cancel.Token);
            _pending = [.. _pending, .. more];
        }
    }
}
