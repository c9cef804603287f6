namespace SecureActors.Client.Statistics;

/// <summary>
/// A counter added to from every core once per message (messages sent, replies verified, bytes): one
/// cell per processor (up to 16), each on its own pair of cache lines, summed when read. As plain
/// fields side by side, four such counters shared one line that both cores wrote on every message.
/// </summary>
internal sealed class StripedCounter
{
    // 16 longs = 128 bytes between cells: two cache lines, so the adjacent-line prefetcher does not pair them.
    private const int Stride = 16;
    private readonly long[] _cells;
    private readonly int _mask;

    public StripedCounter()
        : this(Environment.ProcessorCount)
    {
    }

    internal StripedCounter(int processors)
    {
        var stripes = ProcessorStripes.CountFor(processors);
        _mask = stripes - 1;
        // One stride of padding before the first cell keeps it off the line holding the array's header.
        _cells = new long[(stripes + 1) * Stride];
    }

    /// <summary>The sum of every cell; concurrent additions may or may not be in it yet.</summary>
    public long Value
    {
        get
        {
            long sum = 0;
            for (var i = Stride; i < _cells.Length; i += Stride)
            {
                sum += Volatile.Read(ref _cells[i]);
            }

            return sum;
        }
    }

    public void Add(long amount) => Interlocked.Add(ref _cells[(ProcessorStripes.Current(_mask) + 1) * Stride], amount);

    public void Increment() => Add(1);
}
