using SecureActors.Client.Statistics;

namespace SecureActors.Client.Tests.Statistics;

public sealed class StripedCounterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(64)]
    public async Task Value_AfterConcurrentAdds_IsTheExactSum(int processors)
    {
        var counter = new StripedCounter(processors);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                counter.Increment();
                counter.Add(t);
            }
        })));

        Assert.Equal((8 * 50_000) + (50_000L * Enumerable.Range(0, 8).Sum()), counter.Value);
    }

    [Fact]
    public void Value_NothingAdded_IsZero_AndNegativeAmountsSubtract()
    {
        var counter = new StripedCounter();
        Assert.Equal(0, counter.Value);

        counter.Add(10);
        counter.Add(-3);

        Assert.Equal(7, counter.Value);
    }
}
