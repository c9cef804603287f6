using System.Buffers.Binary;

namespace SecureActors.Protocol.Handshake;

/// <summary>
/// Big-endian reader over one handshake message body. Any overrun is decode_error; callers finish
/// with <see cref="EnsureEnd"/> so trailing bytes are decode_error too.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public WireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
    }

    public readonly int Remaining => _data.Length - _offset;

    public byte ReadU8()
    {
        Need(1);
        return _data[_offset++];
    }

    public ushort ReadU16()
    {
        Need(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_data[_offset..]);
        _offset += 2;
        return value;
    }

    public uint ReadU32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_data[_offset..]);
        _offset += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        var slice = _data.Slice(_offset, count);
        _offset += count;
        return slice;
    }

    public ReadOnlySpan<byte> ReadVector16() => ReadBytes(ReadU16());

    /// <summary>u8 count ‖ count × u16, with 1 ≤ count ≤ max (an empty list is decode_error unless allowed).</summary>
    public ushort[] ReadU16List(int max, string what, bool allowEmpty = false)
    {
        var count = ReadU8();
        if (count > max || (count == 0 && !allowEmpty))
        {
            throw new ProtocolViolationException(AlertDescription.DecodeError, $"{what} list has {count} entries (allowed {(allowEmpty ? 0 : 1)}..{max})");
        }

        var items = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = ReadU16();
        }

        if (items.Distinct().Count() != items.Length)
        {
            throw new ProtocolViolationException(AlertDescription.IllegalParameter, $"duplicate entry in {what}");
        }

        return items;
    }

    /// <summary>u8 count ‖ count × (type u16 ‖ len u16 ‖ data), at most 32, types unique.</summary>
    public List<(ushort Type, byte[] Data)> ReadExtensions()
    {
        var count = ReadU8();
        if (count > HandshakeLimits.MaxExtensions)
        {
            throw new ProtocolViolationException(AlertDescription.DecodeError, $"{count} extensions (max {HandshakeLimits.MaxExtensions})");
        }

        var list = new List<(ushort, byte[])>(count);
        var seen = new HashSet<ushort>();
        for (var i = 0; i < count; i++)
        {
            var type = ReadU16();
            var data = ReadVector16().ToArray();
            if (!seen.Add(type))
            {
                throw new ProtocolViolationException(AlertDescription.IllegalParameter, $"duplicate extension 0x{type:x4}");
            }

            list.Add((type, data));
        }

        return list;
    }

    public readonly void EnsureEnd(string what)
    {
        if (_offset != _data.Length)
        {
            throw new ProtocolViolationException(AlertDescription.DecodeError, $"{Remaining} trailing bytes in {what}");
        }
    }

    private readonly void Need(int count)
    {
        if (count < 0 || _data.Length - _offset < count)
        {
            throw new ProtocolViolationException(AlertDescription.DecodeError, "message shorter than its fields");
        }
    }
}
