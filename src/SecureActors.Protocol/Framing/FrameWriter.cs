using System.Buffers;
using System.Buffers.Binary;

namespace SecureActors.Protocol.Framing;

/// <summary>Writes SAP/1 record headers and plaintext records into an <see cref="IBufferWriter{T}"/>.</summary>
public static class FrameWriter
{
    /// <summary>Writes the 3-byte header <c>type ‖ length u16</c> into <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, RecordType type, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, FrameReader.MaxBodyLength(type));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        destination[0] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)length);
    }

    /// <summary>Writes a whole plaintext record (header then body).</summary>
    public static void WritePlaintext(IBufferWriter<byte> output, RecordType type, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (type == RecordType.Protected)
        {
            throw new ArgumentException("protected records are written by the record layer", nameof(type));
        }

        var span = output.GetSpan(FrameLimits.HeaderLength + body.Length);
        WriteHeader(span, type, body.Length);
        body.CopyTo(span[FrameLimits.HeaderLength..]);
        output.Advance(FrameLimits.HeaderLength + body.Length);
    }
}
