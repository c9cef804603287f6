using SecureActors.Client.Statistics;

namespace SecureActors.Client.Tests.Statistics;

public sealed class StripedHistogramTests
{
    private static readonly double[] Percentiles = [1, 50, 90, 99, 99.9, 100];

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(64, 16)]
    public void StripeCount_OnePerProcessorRoundedUpToAPowerOfTwo_AtMostSixteen(int processors, int expected)
    {
        Assert.Equal(expected, new StripedHistogram(1_000_000, 11, processors).StripeCount);
    }

    [Fact]
    public async Task Snapshot_RecordedFromManyThreads_EqualsTheSameSamplesInOneHistogram()
    {
        var striped = new StripedHistogram(10_000_000, 11, processors: 4);
        var reference = new LogLinearHistogram(10_000_000);
        var batches = Enumerable.Range(0, 8).Select(t => Enumerable.Range(0, 20_000).Select(i => ((t * 1_000_003L) + (i * 7919L)) % 9_000_000).ToArray()).ToArray();

        await Task.WhenAll(batches.Select(batch => Task.Run(() =>
        {
            foreach (var v in batch)
            {
                striped.Record(v);
            }
        })));
        foreach (var v in batches.SelectMany(b => b))
        {
            reference.Record(v);
        }

        var merged = striped.Snapshot();
        Assert.Equal(reference.TotalCount, merged.TotalCount);
        Assert.Equal(reference.Min, merged.Min);
        Assert.Equal(reference.Max, merged.Max);
        Assert.Equal(reference.Mean, merged.Mean, 6);
        Assert.Equal(Percentiles.Select(reference.ValueAtPercentile), Percentiles.Select(merged.ValueAtPercentile));
    }

    [Fact]
    public void Snapshot_IsACopy_LaterSamplesDoNotChangeIt()
    {
        var striped = new StripedHistogram(1_000_000, 11, processors: 2);
        striped.Record(10);
        var first = striped.Snapshot();

        striped.Record(20);

        Assert.Equal(1, first.TotalCount);
        Assert.Equal(2, striped.Snapshot().TotalCount);
        Assert.Equal(1, striped.Snapshot().Since(first).TotalCount);
    }
}
