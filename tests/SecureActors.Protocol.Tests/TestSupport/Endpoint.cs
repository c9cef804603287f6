using System.Buffers;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;

namespace SecureActors.Protocol.Tests.TestSupport;

/// <summary>
/// One side of an in-memory connection: receives bytes in arbitrary chunks (kept as separate
/// segments), parses frames with <see cref="FrameReader"/> and feeds them to a handshake machine,
/// running crypto inline. After the handshake, frames are collected for the channel.
/// </summary>
internal sealed class Endpoint
{
    private readonly List<byte[]> _inbox = [];
    private bool _prologueSeen;

    public Endpoint(HandshakeMachine machine, bool expectsPrologue)
    {
        Machine = machine;
        _prologueSeen = !expectsPrologue;
    }

    public HandshakeMachine Machine { get; }

    public List<byte> Outbox { get; } = [];

    public HandshakeStep? Last { get; private set; }

    public List<Frame> FramesAfterHandshake { get; } = [];

    public bool PrologueRejected { get; private set; }

    public ProtocolFailure? FramingFailure { get; private set; }

    public bool Done => Last is { Status: HandshakeStatus.Complete or HandshakeStatus.Failed } || PrologueRejected || FramingFailure is not null;

    public void Record(HandshakeStep step)
    {
        step = Machine.RunInline(step);
        Outbox.AddRange(step.Output.ToArray());
        Last = step;
    }

    public void Deliver(byte[] chunk)
    {
        _inbox.Add(chunk);
        var input = Segments.Of(_inbox);
        if (!_prologueSeen)
        {
            var status = Prologue.TryRead(input, out var consumedMagic, out _);
            if (status == FrameReadStatus.Invalid)
            {
                PrologueRejected = true;
                return;
            }

            if (status == FrameReadStatus.Incomplete)
            {
                return;
            }

            _prologueSeen = true;
            input = input.Slice(consumedMagic);
        }

        while (true)
        {
            var status = FrameReader.TryRead(input, out var consumed, out _, out var frame, out var failure);
            if (status == FrameReadStatus.Invalid)
            {
                FramingFailure = failure;
                break;
            }

            if (status == FrameReadStatus.Incomplete)
            {
                break;
            }

            if (Last?.Status == HandshakeStatus.Complete || Last?.Status == HandshakeStatus.Failed)
            {
                FramesAfterHandshake.Add(frame.ToOwned());
            }
            else
            {
                Record(Machine.Feed(frame));
            }

            input = input.Slice(consumed);
        }

        _inbox.Clear();
        if (!input.IsEmpty)
        {
            _inbox.Add(input.ToArray());
        }
    }

    public byte[] TakeOutbox()
    {
        var bytes = Outbox.ToArray();
        Outbox.Clear();
        return bytes;
    }
}
