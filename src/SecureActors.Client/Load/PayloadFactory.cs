using System.Buffers.Binary;

namespace SecureActors.Client.Load;

/// <summary>
/// Builds and verifies load-client messages so that every reply can be checked without storing what
/// was sent. Layout:
/// <code>
/// slot u32 ‖ generation u32 ‖ sequence u64 ‖ filler[size − 16]
/// </code>
/// The size and the filler (a window into one seeded random block) are pure functions of
/// (slot, generation, sequence), so the verifier recomputes the expected bytes from the header alone
/// and compares with a vectorised SequenceEqual.
/// </summary>
internal sealed class PayloadFactory
{
    public const int HeaderLength = 16;
    private const int WindowSlack = 4096;
    private readonly byte[] _block;
    private readonly int _minSize;
    private readonly int _sizeSpan;

    public PayloadFactory(int minSize, int maxSize, int seed)
    {
        _minSize = minSize;
        _sizeSpan = Math.Max(0, maxSize - minSize);
        _block = new byte[Math.Max(minSize, maxSize) + WindowSlack];
        new Random(seed).NextBytes(_block);
    }

    public int MaxSize => _minSize + _sizeSpan;

    public int SizeOf(uint slot, uint generation, ulong sequence) =>
        _sizeSpan == 0 ? _minSize : _minSize + (int)(Mix(slot, generation, sequence) % (ulong)(_sizeSpan + 1));

    /// <summary>Writes the message into <paramref name="destination"/> and returns its length.</summary>
    public int Write(Span<byte> destination, uint slot, uint generation, ulong sequence)
    {
        var size = SizeOf(slot, generation, sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination, slot);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], generation);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], sequence);
        Filler(slot, generation, sequence, size).CopyTo(destination[HeaderLength..]);
        return size;
    }

    /// <summary>
    /// Checks that <paramref name="reply"/> is, byte for byte, a message this slot and generation sent,
    /// and returns its sequence number. False means corrupted (or someone else's message).
    /// </summary>
    public bool TryVerify(ReadOnlySpan<byte> reply, uint slot, uint generation, out ulong sequence)
    {
        sequence = 0;
        if (reply.Length < HeaderLength)
        {
            return false;
        }

        var replySlot = BinaryPrimitives.ReadUInt32BigEndian(reply);
        var replyGeneration = BinaryPrimitives.ReadUInt32BigEndian(reply[4..]);
        sequence = BinaryPrimitives.ReadUInt64BigEndian(reply[8..]);
        return replySlot == slot && replyGeneration == generation
            && reply.Length == SizeOf(slot, generation, sequence)
            && reply[HeaderLength..].SequenceEqual(Filler(slot, generation, sequence, reply.Length));
    }

    private ReadOnlySpan<byte> Filler(uint slot, uint generation, ulong sequence, int size) =>
        _block.AsSpan((int)(Mix(slot, generation, sequence) % WindowSlack), size - HeaderLength);

    private static ulong Mix(uint slot, uint generation, ulong sequence)
    {
        // SplitMix64 finaliser: cheap, and neighbouring sequence numbers land far apart.
        var z = sequence + ((ulong)slot << 32) + ((ulong)generation * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>How one reply compares with what was expected in its position.</summary>
internal enum ReplyVerdict
{
    Ok,
    Corrupted,
    Duplicated,
    Reordered,
}

/// <summary>
/// Classifies intact replies by order. Replies are matched to requests by position (the n-th reply
/// answers the n-th request), so a reply carrying sequence s in position p is: in place (s = p);
/// reordered (s arrived in another position and had not been delivered before); or duplicated (s had
/// already been delivered, in place or not). The sets are allocated only once an anomaly occurs, so a
/// healthy run pays one comparison per reply.
/// </summary>
internal sealed class ReplyOrderTracker
{
    private HashSet<ulong>? _delivered;
    private HashSet<ulong>? _disturbed;

    public void Reset()
    {
        _delivered = null;
        _disturbed = null;
    }

    public ReplyVerdict Classify(ulong sequence, ulong position)
    {
        if (sequence == position && _delivered is null)
        {
            return ReplyVerdict.Ok;
        }

        _delivered ??= [];
        _disturbed ??= [];
        if (sequence != position)
        {
            _disturbed.Add(position);
        }

        // Everything before the first anomaly was delivered in place.
        var alreadyDelivered = _delivered.Contains(sequence) || (sequence < position && !_disturbed.Contains(sequence));
        if (alreadyDelivered)
        {
            return ReplyVerdict.Duplicated;
        }

        _delivered.Add(sequence);
        return sequence == position ? ReplyVerdict.Ok : ReplyVerdict.Reordered;
    }
}
