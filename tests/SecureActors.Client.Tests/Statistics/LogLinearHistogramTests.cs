using SecureActors.Client.Statistics;

namespace SecureActors.Client.Tests.Statistics;

public sealed class LogLinearHistogramTests
{
    private static readonly double[] Percentiles = [0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

    [Fact]
    public void ValueAtPercentile_ValuesBelowSubBucketCount_AreExact()
    {
        var histogram = new LogLinearHistogram(1_000_000);
        var values = Enumerable.Range(0, 2000).Select(i => (long)((i * 7919) % 2000)).ToArray();
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        foreach (var p in Percentiles)
        {
            Assert.Equal(Exact(values, p), histogram.ValueAtPercentile(p));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ValueAtPercentile_LogUniformSamples_WithinOneTenthPercentOfExact(int seed)
    {
        var random = new Random(seed);
        var histogram = new LogLinearHistogram(3_600_000_000);
        var values = Enumerable.Range(0, 100_000).Select(_ => (long)Math.Exp(random.NextDouble() * Math.Log(3_600_000_000))).ToArray();
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        foreach (var p in Percentiles)
        {
            var exact = Exact(values, p);
            var reported = histogram.ValueAtPercentile(p);
            Assert.InRange(reported, exact, exact + Math.Max(0, exact / 1024));
        }

        Assert.Equal(values.Min(), histogram.Min);
        Assert.Equal(values.Max(), histogram.Max);
        Assert.Equal(values.Average(), histogram.Mean, precision: 3);
    }

    [Fact]
    public void IndexOf_EveryBoundary_RoundTripsThroughEquivalentValues()
    {
        var histogram = new LogLinearHistogram(1L << 40, subBucketBits: 4);
        for (var index = 0; index < histogram.BucketCount; index++)
        {
            var low = histogram.LowestEquivalentValue(index);
            var high = histogram.HighestEquivalentValue(index);
            Assert.Equal(index, histogram.IndexOf(low));
            Assert.Equal(index, histogram.IndexOf(high));
            if (index + 1 < histogram.BucketCount)
            {
                Assert.Equal(high + 1, histogram.LowestEquivalentValue(index + 1));
            }
        }
    }

    [Fact]
    public async Task Record_ConcurrentRecorders_CountEverySample()
    {
        var histogram = new LogLinearHistogram(1_000_000);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                histogram.Record(i % 5000);
            }
        })));

        Assert.Equal(200_000, histogram.TotalCount);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(4999, histogram.Max);
    }

    [Fact]
    public async Task Percentiles_RecordedFromManyThreads_EqualTheSameSamplesRecordedOnOne()
    {
        // Interleaved recorders race on the same counters and extremes; nothing may be lost or skewed.
        var striped = new LogLinearHistogram(10_000_000);
        var reference = new LogLinearHistogram(10_000_000);
        var values = Enumerable.Range(0, 8).Select(t => Enumerable.Range(0, 20_000).Select(i => (long)((t * 1_000_003) + (i * 7919)) % 9_000_000).ToArray()).ToArray();

        await Task.WhenAll(values.Select(batch => Task.Run(() =>
        {
            foreach (var v in batch)
            {
                striped.Record(v);
                Thread.Yield();
            }
        })));
        foreach (var v in values.SelectMany(b => b))
        {
            reference.Record(v);
        }

        Assert.Equal(reference.TotalCount, striped.TotalCount);
        Assert.Equal(reference.Min, striped.Min);
        Assert.Equal(reference.Max, striped.Max);
        Assert.Equal(reference.Mean, striped.Mean, 6);
        Assert.Equal(Percentiles.Select(reference.ValueAtPercentile), Percentiles.Select(striped.ValueAtPercentile));
        var merged = new LogLinearHistogram(10_000_000);
        merged.Add(striped);
        Assert.Equal(Percentiles.Select(reference.ValueAtPercentile), Percentiles.Select(merged.ValueAtPercentile));
    }

    [Fact]
    public void Since_EarlierCopy_HoldsOnlyTheSamplesRecordedAfterIt()
    {
        var histogram = new LogLinearHistogram(1_000_000);
        for (var i = 1; i <= 100; i++)
        {
            histogram.Record(i * 100);
        }

        var earlier = new LogLinearHistogram(1_000_000);
        earlier.Add(histogram);
        for (var i = 1; i <= 50; i++)
        {
            histogram.Record(100_000 + i);
        }

        var interval = histogram.Since(earlier);

        Assert.Equal(50, interval.TotalCount);
        Assert.Equal(150, histogram.TotalCount);
        Assert.InRange(interval.Min, 100_001 - 100, 100_001);
        Assert.InRange(interval.Max, 100_050, 100_050 + 100);
        Assert.InRange(interval.ValueAtPercentile(50), 100_025 - 100, 100_025 + 100);
        Assert.Equal(0, histogram.Since(histogram).TotalCount);
    }

    [Fact]
    public void Since_DifferentLayout_Throws()
    {
        Assert.Throws<ArgumentException>(() => new LogLinearHistogram(1_000_000).Since(new LogLinearHistogram(1_000_000, subBucketBits: 8)));
    }

    [Fact]
    public void Add_TwoHistograms_MergesCountsAndExtremes()
    {
        var a = new LogLinearHistogram(1_000_000);
        var b = new LogLinearHistogram(1_000_000);
        a.Record(10);
        b.Record(90_000);

        a.Add(b);

        Assert.Equal(2, a.TotalCount);
        Assert.Equal(10, a.Min);
        Assert.Equal(90_000, a.Max);
    }

    [Fact]
    public void Record_ValueAboveHighestTrackable_IsClamped()
    {
        var histogram = new LogLinearHistogram(1000);

        histogram.Record(5000);

        Assert.Equal(1000, histogram.Max);
        Assert.Equal(1000, histogram.ValueAtPercentile(100));
    }

    [Fact]
    public void Bins_Samples_CoverEveryCountOnce()
    {
        var histogram = new LogLinearHistogram(10_000_000);
        var random = new Random(5);
        for (var i = 0; i < 10_000; i++)
        {
            histogram.Record(random.Next(50, 500_000));
        }

        var bins = histogram.Bins(30);

        Assert.Equal(10_000, bins.Sum(b => b.Count));
        Assert.True(bins.Count <= 30);
        Assert.All(bins.Zip(bins.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
    }

    private static long Exact(long[] values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * sorted.Length));
        return sorted[rank - 1];
    }
}
