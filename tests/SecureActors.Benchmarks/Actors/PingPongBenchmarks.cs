using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SecureActors.Actors.Actor;

namespace SecureActors.Benchmarks.Actors;

/// <summary>
/// Ping-pong between pairs: every message is a hop to the other side of a pair. Time is per
/// message; Ratio &lt; 1 means faster than the Channels baseline (throughput ratio = 1 / Ratio).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class PingPongBenchmarks
{
    // Every invocation moves the same number of messages whatever the number of pairs, so the
    // per-message times of all parameter sets are comparable.
    private const int TotalRoundsPerSide = 16 * 10_000;
    private ActorSystem _system = null!;

    [Params(1, 16)]
    public int Pairs { get; set; }

    [Params(1, 30, 100)]
    public int Throughput { get; set; }

    private int RoundsPerSide => TotalRoundsPerSide / Pairs;

    // One side answers every ball but the last, so a pair moves 2R - 1 messages.
    private int Messages => Pairs * ((RoundsPerSide * 2) - 1);

    [GlobalSetup]
    public void Setup() => _system = BenchmarkSystems.Create(Throughput);

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalRoundsPerSide * 2)]
    public Task Channels()
    {
        var countdown = new Countdown(Messages);
        for (var p = 0; p < Pairs; p++)
        {
            ChannelEndpoint? a = null, b = null;
            a = new ChannelEndpoint(countdown, RoundsPerSide, () => b!);
            b = new ChannelEndpoint(countdown, RoundsPerSide, () => a);
            a.Post(Ball.Instance);
        }

        return countdown.Done;
    }

    [Benchmark(OperationsPerInvoke = TotalRoundsPerSide * 2)]
    public Task ActionBlocks()
    {
        var countdown = new Countdown(Messages);
        for (var p = 0; p < Pairs; p++)
        {
            BlockEndpoint? a = null, b = null;
            a = new BlockEndpoint(countdown, RoundsPerSide, () => b!);
            b = new BlockEndpoint(countdown, RoundsPerSide, () => a);
            a.Post(Ball.Instance);
        }

        return countdown.Done;
    }

    [Benchmark(OperationsPerInvoke = TotalRoundsPerSide * 2)]
    public async Task Actors()
    {
        var countdown = new Countdown(Messages);
        var actors = new List<IActorRef>();
        for (var p = 0; p < Pairs; p++)
        {
            var a = _system.ActorOf(Props.Create(() => new PingPongActor(countdown, RoundsPerSide)));
            var b = _system.ActorOf(Props.Create(() => new PingPongActor(countdown, RoundsPerSide)));
            actors.Add(a);
            actors.Add(b);
            a.Tell(b, ActorRefs.NoSender);
        }

        await countdown.Done;
        foreach (var actor in actors)
        {
            _system.Stop(actor);
        }
    }
}
