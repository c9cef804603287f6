using System.Buffers;

namespace SecureActors.Protocol.Records;

/// <summary>
/// Every event one received record yields: the record's own event, then, for a batched record
/// (PROTOCOL.md §8.7), each further message it carries. Enumerate it to the end (or stop once the
/// session is over); a record whose messages are left untaken blocks the next <c>Receive</c>.
/// </summary>
/// <remarks>
/// The record is opened when <see cref="SecureChannel.ReceiveAll(Span{byte}, IBufferWriter{byte})"/>
/// is called; each later message is read from the same bytes as the enumeration reaches it, so its
/// checks and any alert happen in order with the caller's handling of the messages before it.
/// </remarks>
public ref struct ReceivedRecord
{
    private readonly SecureChannel _channel;
    private readonly Span<byte> _record;
    private readonly IBufferWriter<byte> _output;
    private readonly bool _heldByChannel;
    private ChannelEvent _current;
    private bool _firstTaken;

    internal ReceivedRecord(SecureChannel channel, Span<byte> record, IBufferWriter<byte> output, bool heldByChannel, ChannelEvent first)
    {
        _channel = channel;
        _record = record;
        _output = output;
        _heldByChannel = heldByChannel;
        _current = first;
    }

    public readonly ChannelEvent Current => _current;

    public readonly ReceivedRecord GetEnumerator() => this;

    public bool MoveNext()
    {
        if (!_firstTaken)
        {
            _firstTaken = true;
            return true;
        }

        if (!_channel.HasPendingMessages)
        {
            return false;
        }

        _current = _heldByChannel ? _channel.ReceiveNext(_output) : _channel.ReceiveNext(_record, _output);
        return true;
    }
}
