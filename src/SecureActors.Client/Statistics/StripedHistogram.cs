namespace SecureActors.Client.Statistics;

/// <summary>
/// A <see cref="LogLinearHistogram"/> split into one stripe per processor (up to 16), recorded into by
/// the stripe of the processor the caller runs on, and merged when read. Every reply of a load run
/// records a latency; with one shared histogram, its total, sum and hot buckets were cache lines that
/// every core fought over on every reply. A thread that moves between processors mid-record only costs
/// a shared line once: each stripe stays thread-safe on its own.
/// </summary>
internal sealed class StripedHistogram
{
    private readonly LogLinearHistogram[] _stripes;
    private readonly int _mask;

    public StripedHistogram(long highestTrackableValue, int subBucketBits = 11)
        : this(highestTrackableValue, subBucketBits, Environment.ProcessorCount)
    {
    }

    internal StripedHistogram(long highestTrackableValue, int subBucketBits, int processors)
    {
        var stripes = ProcessorStripes.CountFor(processors);
        _stripes = [.. Enumerable.Range(0, stripes).Select(_ => new LogLinearHistogram(highestTrackableValue, subBucketBits))];
        _mask = stripes - 1;
    }

    /// <summary>Stripes (for tests and sizing).</summary>
    public int StripeCount => _stripes.Length;

    public void Record(long value) => _stripes[ProcessorStripes.Current(_mask)].Record(value);

    /// <summary>A merged copy of everything recorded so far; recording may continue meanwhile.</summary>
    public LogLinearHistogram Snapshot()
    {
        var merged = new LogLinearHistogram(_stripes[0].HighestTrackableValue, _stripes[0].SubBucketBits);
        foreach (var stripe in _stripes)
        {
            merged.Add(stripe);
        }

        return merged;
    }
}
