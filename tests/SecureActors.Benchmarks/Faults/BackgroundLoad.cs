using System.Diagnostics;
using SecureActors.Client;
using SecureActors.Client.Load;

namespace SecureActors.Benchmarks.Faults;

/// <summary>
/// A closed-loop, pipelined load run by this process against the server process: every reply
/// verified, running until stopped (or the server ends every session) and bounded by max-duration.
/// </summary>
internal sealed class BackgroundLoad : IAsyncDisposable
{
    private static readonly TimeSpan ProgressBound = TimeSpan.FromSeconds(60);
    private readonly CancellationTokenSource _stop = new();
    private readonly LoadRunner _runner;
    private readonly Task<LoadReport> _run;

    public BackgroundLoad(SecureClientOptions client, int sessions, int pipeline)
    {
        Settings = LoadSettings.FromConfig(SecureClientOptions.ReferenceConfig) with
        {
            Connections = sessions,
            // 100 new sessions a second: at 200 a second on the shared 2-core machine some handshakes
            // waited past crypto-timeout while other builds ran, which is overload, not the fault under test.
            RampUp = TimeSpan.FromSeconds(Math.Max(1, sessions / 100.0)),
            MessagesPerConnection = 0,
            Duration = TimeSpan.Zero,
            Size = 64,
            SizeMax = 512,
            Pipeline = pipeline,
            Rate = 0,
            ReconnectEvery = 0,
            MaxDuration = TimeSpan.FromMinutes(5),
            DrainTimeout = TimeSpan.FromSeconds(10),
            Seed = 8,
        };
        _runner = new LoadRunner(client, Settings);
        _run = Task.Run(() => _runner.RunAsync(_stop.Token));
    }

    public LoadSettings Settings { get; }

    public LoadStatistics Statistics => _runner.Statistics;

    /// <summary>
    /// Waits until every session has completed its handshake (bounded by the ramp plus a minute); a
    /// failed handshake ends the wait at once, since that session will never come up.
    /// </summary>
    public async Task EstablishedAsync()
    {
        await UntilAsync(
            () => Interlocked.Read(ref Statistics.HandshakesOk) + Interlocked.Read(ref Statistics.HandshakesFailed) >= Settings.Connections,
            Settings.RampUp + ProgressBound,
            () => $"only {Interlocked.Read(ref Statistics.HandshakesOk)} of {Settings.Connections} sessions came up");
        if (Interlocked.Read(ref Statistics.HandshakesFailed) is > 0 and var failed)
        {
            throw new InvalidOperationException($"{failed} of {Settings.Connections} handshakes failed while the sessions came up ({string.Join("; ", Statistics.Errors.Select(e => $"{e.Key}: {e.Value}"))})");
        }
    }

    /// <summary>Waits until <paramref name="more"/> further replies have been verified.</summary>
    public Task FlowingAsync(long more)
    {
        var target = Statistics.RepliesOk.Value + more;
        return UntilAsync(
            () => Statistics.RepliesOk.Value >= target,
            ProgressBound,
            () => $"the load stalled at {Statistics.RepliesOk.Value} verified replies");
    }

    /// <summary>Stops sending, lets the replies in flight arrive, closes every session and returns the report.</summary>
    public async Task<LoadReport> StopAsync()
    {
        await _stop.CancelAsync();
        return await EndedAsync();
    }

    /// <summary>The report once the run has ended by itself (the server closed every session).</summary>
    public Task<LoadReport> EndedAsync() => _run.WaitAsync(Settings.DrainTimeout + ProgressBound);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await EndedAsync();
        }
        catch (Exception) when (!_run.IsCompletedSuccessfully)
        {
            // Disposal after a failed check: that failure is what gets reported.
        }

        _runner.Dispose();
        _stop.Dispose();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; a <see cref="TimeoutException"/> naming what stalled past <paramref name="bound"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan bound, Func<string> stalled)
    {
        var deadline = Stopwatch.StartNew();
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!condition())
        {
            if (deadline.Elapsed > bound)
            {
                throw new TimeoutException($"{stalled()} (waited {bound.TotalSeconds:F0} s)");
            }

            await tick.WaitForNextTickAsync();
        }
    }
}
