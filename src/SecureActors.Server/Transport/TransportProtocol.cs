using System.Buffers;
using System.Buffers.Binary;
using SecureActors.Protocol;
using SecureActors.Protocol.Framing;

namespace SecureActors.Server.Transport;

/// <summary>What a connection's socket loops tell the session that owns it. Every message owns its bytes.</summary>
internal static class TransportProtocol
{
    /// <summary>
    /// Every whole record of one socket read, back to back as on the wire (<c>type u8 ‖ length u16 ‖
    /// body</c>, already checked by the frame reader), in one buffer rented from the shared pool. One
    /// message per read instead of one per record: a pipelining client's burst is handled in one turn
    /// and answered in one socket write. The receiver owns the buffer: it opens protected records in
    /// place and calls <see cref="Release"/> when done (if it never does, the GC takes the buffer).
    /// A peer may still be sending when its session has closed (after an alert, say); what arrives then has
    /// nobody to read it, which is expected, so it is not logged as a dead letter.
    /// </summary>
    public sealed class RecordsReceived : SecureActors.Actors.Event.IDeadLetterSuppression
    {
        // A pool of its own: every session can hold one read's copy while its connection reads the next,
        // so a pipelined load keeps about one buffer per connection out at once. The shared pool keeps 32
        // per size per core and dropped the rest: 15 of a B-pipe run's 22 MB of server garbage were these
        // copies. Kept arrays are bounded by the busiest moment (128 per size), not by the connections.
        private static readonly ArrayPool<byte> Buffers = ArrayPool<byte>.Create(maxArrayLength: 1024 * 1024, maxArraysPerBucket: 128);

        private byte[]? _buffer;
        private int _length;
        private Spare? _home;

        private RecordsReceived()
        {
        }

        /// <summary>How many records the buffer holds.</summary>
        public int Count { get; private set; }

        /// <summary>Copies <paramref name="records"/> (whole, validated records) into a pooled buffer.</summary>
        public static RecordsReceived CopyOf(in ReadOnlySequence<byte> records, int count) => CopyOf(records, count, home: null);

        /// <summary>
        /// As <see cref="CopyOf(in ReadOnlySequence{byte}, int)"/>, reusing <paramref name="home"/>'s spare message
        /// when it has one; <see cref="Release"/> gives the message back to it.
        /// </summary>
        public static RecordsReceived CopyOf(in ReadOnlySequence<byte> records, int count, Spare? home)
        {
            var length = checked((int)records.Length);
            var buffer = Buffers.Rent(length);
            records.CopyTo(buffer);
            var message = home?.Take() ?? new RecordsReceived();
            message._buffer = buffer;
            message._length = length;
            message.Count = count;
            message._home = home;
            return message;
        }

        /// <summary>Builds a message over records the caller hands over (tests and in-memory transports).</summary>
        public static RecordsReceived Of(ReadOnlySpan<byte> records, int count) => CopyOf(new ReadOnlySequence<byte>(records.ToArray()), count);

        /// <summary>The record at <paramref name="offset"/> (header included), advancing the offset past it; false at the end.</summary>
        public bool TryTakeNext(ref int offset, out Memory<byte> record)
        {
            var buffer = _buffer ?? throw new ObjectDisposedException(nameof(RecordsReceived));
            if (offset >= _length)
            {
                record = default;
                return false;
            }

            var length = FrameLimits.HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(offset + 1));
            record = buffer.AsMemory(offset, length);
            offset += length;
            return true;
        }

        /// <summary>
        /// Zeroes the buffer (records opened in place hold plaintext) and returns it to the pool; the
        /// message itself goes back to its connection's spare. Call once, after the last use.
        /// </summary>
        public void Release()
        {
            if (_buffer is { } buffer)
            {
                _buffer = null;
                buffer.AsSpan(0, _length).Clear();
                Buffers.Return(buffer);
                _home?.GiveBack(this);
            }
        }

        /// <summary>
        /// One connection's spare message. A connection hands its reads over one at a time and the session
        /// usually releases each before the next arrives, so one spare replaces almost every allocation of
        /// the message (measured: it was 59 % of a pipelined load's server garbage) for 32 bytes per
        /// connection. The read loop takes and the session gives back, on different threads.
        /// </summary>
        public sealed class Spare
        {
            private RecordsReceived? _message;

            internal RecordsReceived? Take() => Interlocked.Exchange(ref _message, null);

            internal void GiveBack(RecordsReceived message) => Interlocked.CompareExchange(ref _message, message, null);
        }
    }

    /// <summary>
    /// The byte stream is not valid SAP/1 framing (e.g. a record over its cap); send the alert and close. Like
    /// <see cref="RecordsReceived"/>, it can come after the session has closed, and is then not logged.
    /// </summary>
    public sealed record FramingFailed(ProtocolFailure Failure) : SecureActors.Actors.Event.IDeadLetterSuppression;

    /// <summary>The first bytes were not the SAP/1 magic: the peer speaks something else; close without an alert.</summary>
    public sealed class PrologueRejected
    {
        public static readonly PrologueRejected Instance = new();

        private PrologueRejected()
        {
        }
    }

    /// <summary>
    /// The peer closed or reset the connection, or the socket failed. <see cref="MidRecord"/>: a record was cut short.
    /// <see cref="NothingReceived"/>: not one byte arrived (a port scan or a health check, not a broken client).
    /// It can race a session that has just finished and stopped; losing it then is expected, so it is not logged.
    /// </summary>
    public sealed record Disconnected(bool MidRecord, string Reason, bool NothingReceived = false) : SecureActors.Actors.Event.IDeadLetterSuppression;
}
