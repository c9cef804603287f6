using System.Buffers;

namespace SecureActors.Protocol.Tests.TestSupport;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, one segment per chunk.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Of(IReadOnlyList<byte[]> chunks)
    {
        var nonEmpty = chunks.Where(c => c.Length > 0).ToList();
        if (nonEmpty.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(nonEmpty[0], 0);
        var last = first;
        foreach (var chunk in nonEmpty.Skip(1))
        {
            last = last.Append(chunk);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits <paramref name="data"/> into chunks of <paramref name="size"/> bytes.</summary>
    public static List<byte[]> Split(byte[] data, int size) =>
        Enumerable.Range(0, (data.Length + size - 1) / size).Select(i => data.Skip(i * size).Take(size).ToArray()).ToList();

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
