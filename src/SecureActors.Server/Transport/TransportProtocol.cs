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
    /// </summary>
    public sealed class RecordsReceived
    {
        private byte[]? _buffer;
        private readonly int _length;

        private RecordsReceived(byte[] buffer, int length, int count)
        {
            _buffer = buffer;
            _length = length;
            Count = count;
        }

        /// <summary>How many records the buffer holds.</summary>
        public int Count { get; }

        /// <summary>Copies <paramref name="records"/> (whole, validated records) into a pooled buffer.</summary>
        public static RecordsReceived CopyOf(in ReadOnlySequence<byte> records, int count)
        {
            var length = checked((int)records.Length);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            records.CopyTo(buffer);
            return new RecordsReceived(buffer, length, count);
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

        /// <summary>Zeroes the buffer (records opened in place hold plaintext) and returns it to the pool.</summary>
        public void Release()
        {
            if (_buffer is { } buffer)
            {
                _buffer = null;
                buffer.AsSpan(0, _length).Clear();
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The byte stream is not valid SAP/1 framing (e.g. a record over its cap); send the alert and close.</summary>
    public sealed record FramingFailed(ProtocolFailure Failure);

    /// <summary>The first bytes were not the SAP/1 magic: the peer speaks something else; close without an alert.</summary>
    public sealed class PrologueRejected
    {
        public static readonly PrologueRejected Instance = new();

        private PrologueRejected()
        {
        }
    }

    /// <summary>The peer closed or reset the connection, or the socket failed. <see cref="MidRecord"/>: a record was cut short.</summary>
    public sealed record Disconnected(bool MidRecord, string Reason);
}
