namespace SecureActors.Server.Tests.Support;

/// <summary>Bounded polling for conditions no event reports (counters, log lines), for tests outside the TestKit.</summary>
internal static class Await
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static async Task UntilAsync(Func<bool> condition, TimeSpan? bound = null)
    {
        using var timeout = new CancellationTokenSource(bound ?? Bound);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition())
        {
            await tick.WaitForNextTickAsync(timeout.Token);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? bound = null)
    {
        using var timeout = new CancellationTokenSource(bound ?? Bound);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!await condition())
        {
            await tick.WaitForNextTickAsync(timeout.Token);
        }
    }
}
