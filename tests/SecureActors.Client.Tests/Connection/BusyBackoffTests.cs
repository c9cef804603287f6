using SecureActors.Client.Connection;

namespace SecureActors.Client.Tests.Connection;

public sealed class BusyBackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(1);

    [Fact]
    public void DelayBefore_FullJitterDraw_DoublesFromTheFirstWaitUpToTheCap()
    {
        var backoff = new BusyBackoff(First, Cap, () => 1.0);

        var waits = Enumerable.Range(1, 6).Select(backoff.DelayBefore).Select(w => w.TotalMilliseconds);

        Assert.Equal([100.0, 200, 400, 800, 1000, 1000], waits);
    }

    [Fact]
    public void DelayBefore_LowestJitterDraw_IsHalfTheNominalWait()
    {
        var backoff = new BusyBackoff(First, Cap, () => 0.0);

        var waits = Enumerable.Range(1, 5).Select(backoff.DelayBefore).Select(w => w.TotalMilliseconds);

        Assert.Equal([50.0, 100, 200, 400, 500], waits);
    }

    [Fact]
    public void DelayBefore_AnyRetryAndDraw_StaysBetweenHalfAndAllOfItsNominalWaitAndNeverAboveTheCap()
    {
        var random = new Random(11);
        var backoff = new BusyBackoff(First, Cap, random.NextDouble);

        foreach (var retry in Enumerable.Range(1, 200).Append(int.MaxValue))
        {
            var nominal = TimeSpan.FromTicks(Math.Min(Cap.Ticks, First.Ticks << Math.Min(retry - 1, 20)));

            var wait = backoff.DelayBefore(retry);

            Assert.InRange(wait, nominal / 2, nominal);
            Assert.True(wait <= Cap, $"retry {retry} waits {wait}");
        }
    }

    [Fact]
    public void DelayBefore_SameRetryDifferentDraws_Differ()
    {
        var draws = new Queue<double>([0.1, 0.9]);
        var backoff = new BusyBackoff(First, Cap, draws.Dequeue);

        Assert.NotEqual(backoff.DelayBefore(2), backoff.DelayBefore(2));
    }

    [Fact]
    public void Constructor_CapBelowTheFirstWait_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BusyBackoff(Cap, First, () => 0.5));
    }
}
