using System.Buffers;
using System.Buffers.Binary;

namespace SecureActors.Protocol.Handshake;

/// <summary>Big-endian writer for handshake message bodies (handshake-time only; allocations are fine here).</summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public int Length => _buffer.WrittenCount;

    public WireWriter U8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public WireWriter U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public WireWriter U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public WireWriter Bytes(ReadOnlySpan<byte> value)
    {
        _buffer.Write(value);
        return this;
    }

    public WireWriter Vector16(ReadOnlySpan<byte> value) => U16(checked((ushort)value.Length)).Bytes(value);

    public WireWriter U16List(IEnumerable<ushort> items)
    {
        var list = items.ToList();
        U8(checked((byte)list.Count));
        foreach (var item in list)
        {
            U16(item);
        }

        return this;
    }

    public WireWriter Extensions(IReadOnlyCollection<(ushort Type, byte[] Data)> extensions)
    {
        U8(checked((byte)extensions.Count));
        foreach (var (type, data) in extensions)
        {
            U16(type).Vector16(data);
        }

        return this;
    }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>Wraps the body as a handshake message: type u8 ‖ len u16 ‖ body.</summary>
    public byte[] ToMessage(HandshakeType type)
    {
        var body = _buffer.WrittenSpan;
        var message = new byte[3 + body.Length];
        message[0] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(1), checked((ushort)body.Length));
        body.CopyTo(message.AsSpan(3));
        return message;
    }
}
