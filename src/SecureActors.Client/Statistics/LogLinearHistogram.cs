using System.Numerics;

namespace SecureActors.Client.Statistics;

/// <summary>
/// A thread-safe log-linear histogram of non-negative integer values (HdrHistogram's layout, written
/// small because HdrHistogram is not in our registry).
/// </summary>
/// <remarks>
/// <para>Layout with S = 2^<c>subBucketBits</c>: values below S each have their own counter (exact).
/// Above, every power-of-two range [2^m, 2^(m+1)) is split into S/2 equal sub-buckets, so a bucket is
/// never wider than 2/S of the values in it: with the default 11 bits the relative error of any
/// reported percentile is below 0.1 % (three significant digits). Counters are updated with
/// <see cref="Interlocked"/>, so thousands of sessions can record into one histogram; a reader sees a
/// snapshot that may lag by the increments in flight.</para>
/// <para>Percentiles are HdrHistogram's: the value at percentile p is the highest value equivalent to
/// the bucket holding the ⌈p·N/100⌉-th smallest sample, clamped to the recorded maximum.</para>
/// </remarks>
internal sealed class LogLinearHistogram
{
    private readonly long[] _counts;
    private readonly int _subBucketBits;
    private readonly int _subBucketCount;
    private readonly int _halfCount;
    private long _total;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max;

    /// <param name="highestTrackableValue">Larger values are clamped to this (and counted as it).</param>
    /// <param name="subBucketBits">Precision: relative error ≤ 2^(1−bits).</param>
    public LogLinearHistogram(long highestTrackableValue, int subBucketBits = 11)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(highestTrackableValue, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(subBucketBits, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(subBucketBits, 20);
        HighestTrackableValue = highestTrackableValue;
        _subBucketBits = subBucketBits;
        _subBucketCount = 1 << subBucketBits;
        _halfCount = _subBucketCount / 2;
        _counts = new long[IndexOf(highestTrackableValue) + 1];
    }

    public long HighestTrackableValue { get; }

    /// <summary>Precision in bits (the layout, with <see cref="HighestTrackableValue"/>).</summary>
    public int SubBucketBits => _subBucketBits;

    public long TotalCount => Interlocked.Read(ref _total);

    public long Min => TotalCount == 0 ? 0 : Interlocked.Read(ref _min);

    public long Max => Interlocked.Read(ref _max);

    public double Mean => TotalCount == 0 ? 0 : (double)Interlocked.Read(ref _sum) / TotalCount;

    /// <summary>Bucket count (for tests and sizing).</summary>
    public int BucketCount => _counts.Length;

    public void Record(long value)
    {
        value = Math.Clamp(value, 0, HighestTrackableValue);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Increment(ref _total);
        Interlocked.Add(ref _sum, value);
        UpdateMin(value);
        UpdateMax(value);
    }

    /// <summary>Adds every sample of <paramref name="other"/> (same layout required).</summary>
    public void Add(LogLinearHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._counts.Length != _counts.Length || other._subBucketBits != _subBucketBits)
        {
            throw new ArgumentException("histograms differ in layout", nameof(other));
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Interlocked.Read(ref other._counts[i]);
            if (count != 0)
            {
                Interlocked.Add(ref _counts[i], count);
            }
        }

        Interlocked.Add(ref _total, other.TotalCount);
        Interlocked.Add(ref _sum, Interlocked.Read(ref other._sum));
        if (other.TotalCount > 0)
        {
            UpdateMin(other.Min);
            UpdateMax(other.Max);
        }
    }

    /// <summary>
    /// The samples recorded between <paramref name="earlier"/> and this snapshot of the same recorder
    /// (interval statistics without a second recorder): counts are exact; min, max and mean are those
    /// of the buckets that gained samples.
    /// </summary>
    public LogLinearHistogram Since(LogLinearHistogram earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier._counts.Length != _counts.Length || earlier._subBucketBits != _subBucketBits)
        {
            throw new ArgumentException("histograms differ in layout", nameof(earlier));
        }

        var interval = new LogLinearHistogram(HighestTrackableValue, _subBucketBits);
        double sum = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Interlocked.Read(ref _counts[i]) - Interlocked.Read(ref earlier._counts[i]);
            if (count > 0)
            {
                interval._counts[i] = count;
                interval._total += count;
                sum += (double)count * MedianEquivalentValue(i);
                interval._min = Math.Min(interval._min, LowestEquivalentValue(i));
                interval._max = Math.Max(interval._max, HighestEquivalentValue(i));
            }
        }

        interval._sum = (long)Math.Round(sum);
        return interval;
    }

    /// <summary>The value at <paramref name="percentile"/> (0..100]; 0 when empty.</summary>
    public long ValueAtPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var total = TotalCount;
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(HighestEquivalentValue(i), Max);
            }
        }

        return Max;
    }

    /// <summary>Non-empty buckets in value order, merged into at most <paramref name="maxBins"/> log-spaced bins.</summary>
    public IReadOnlyList<HistogramBin> Bins(int maxBins = 40)
    {
        var total = TotalCount;
        if (total == 0)
        {
            return [];
        }

        // Log-spaced edges from min to max+1, deduplicated (small values collapse onto the same integers).
        var low = Math.Max(1, Min);
        var high = Math.Max(low + 1, Max + 1);
        var ratio = Math.Pow((double)high / low, 1.0 / maxBins);
        var edges = new SortedSet<long> { Min, high };
        for (var b = 1; b < maxBins; b++)
        {
            edges.Add(Math.Clamp((long)Math.Floor(low * Math.Pow(ratio, b)), Min, high));
        }

        var edgeArray = edges.ToArray();
        var counts = new long[edgeArray.Length - 1];
        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Interlocked.Read(ref _counts[i]);
            if (count == 0)
            {
                continue;
            }

            var value = Math.Clamp(MedianEquivalentValue(i), Min, high - 1);
            var position = Array.BinarySearch(edgeArray, value);
            var bin = position >= 0 ? position : ~position - 1;
            counts[Math.Clamp(bin, 0, counts.Length - 1)] += count;
        }

        var bins = new List<HistogramBin>(counts.Length);
        for (var b = 0; b < counts.Length; b++)
        {
            bins.Add(new HistogramBin(edgeArray[b], edgeArray[b + 1], counts[b]));
        }

        return bins;
    }

    internal int IndexOf(long value)
    {
        if (value < _subBucketCount)
        {
            return (int)value;
        }

        var msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = msb - (_subBucketBits - 1);
        var sub = (int)(value >> shift);
        return _subBucketCount + ((shift - 1) * _halfCount) + (sub - _halfCount);
    }

    internal long LowestEquivalentValue(int index)
    {
        if (index < _subBucketCount)
        {
            return index;
        }

        var shift = ((index - _subBucketCount) / _halfCount) + 1;
        var sub = ((index - _subBucketCount) % _halfCount) + _halfCount;
        return (long)sub << shift;
    }

    internal long HighestEquivalentValue(int index)
    {
        if (index < _subBucketCount)
        {
            return index;
        }

        var shift = ((index - _subBucketCount) / _halfCount) + 1;
        return LowestEquivalentValue(index) + (1L << shift) - 1;
    }

    private long MedianEquivalentValue(int index) => (LowestEquivalentValue(index) + HighestEquivalentValue(index)) / 2;

    // Volatile, not Interlocked, reads: on x64 Interlocked.Read is a locked compare-exchange, a write
    // that pulls the line away from every other recording thread although the bound rarely moves.
    private void UpdateMin(long value)
    {
        var current = Volatile.Read(ref _min);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref _min, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void UpdateMax(long value)
    {
        var current = Volatile.Read(ref _max);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

/// <summary>One bar of a drawn histogram: samples with values in [<see cref="From"/>, <see cref="To"/>).</summary>
internal readonly record struct HistogramBin(long From, long To, long Count);
