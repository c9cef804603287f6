using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Routing;

namespace SecureActors.Benchmarks.Actors;

/// <summary>Many senders, one receiver: 8 tasks each send 25,000 messages. Time is per message.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class FanInBenchmarks
{
    private const int Senders = 8;
    private const int PerSender = 25_000;
    private ActorSystem _system = null!;

    [GlobalSetup]
    public void Setup() => _system = BenchmarkSystems.Create(30);

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    private static Task SendAll(Action send) =>
        Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                send();
            }
        })));

    [Benchmark(Baseline = true, OperationsPerInvoke = Senders * PerSender)]
    public async Task Channels()
    {
        var countdown = new Countdown(Senders * PerSender);
        var channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var reader = Task.Run(async () =>
        {
            while (await channel.Reader.WaitToReadAsync())
            {
                while (channel.Reader.TryRead(out _))
                {
                    countdown.Signal();
                }
            }
        });
        await SendAll(() => channel.Writer.TryWrite(Ball.Instance));
        await countdown.Done;
        channel.Writer.Complete();
        await reader;
    }

    [Benchmark(OperationsPerInvoke = Senders * PerSender)]
    public async Task ActionBlocks()
    {
        var countdown = new Countdown(Senders * PerSender);
        var block = new ActionBlock<object>(_ => countdown.Signal());
        await SendAll(() => block.Post(Ball.Instance));
        await countdown.Done;
    }

    [Benchmark(OperationsPerInvoke = Senders * PerSender)]
    public async Task Actors()
    {
        var countdown = new Countdown(Senders * PerSender);
        var sink = _system.ActorOf(Props.Create(() => new SinkActor(countdown)));
        await SendAll(() => sink.Tell(Ball.Instance, ActorRefs.NoSender));
        await countdown.Done;
        _system.Stop(sink);
    }
}

/// <summary>Request/response latency: 2,000 sequential round trips. Time is per round trip.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class AskBenchmarks
{
    private const int Requests = 2_000;
    private ActorSystem _system = null!;
    private IActorRef _echo = null!;
    private Channel<TaskCompletionSource<object>> _channel = null!;
    private ActionBlock<TaskCompletionSource<object>> _block = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = BenchmarkSystems.Create(30);
        _echo = _system.ActorOf(Props.Create(() => new EchoActor()));
        _channel = Channel.CreateUnbounded<TaskCompletionSource<object>>(new UnboundedChannelOptions { SingleReader = true });
        _ = Task.Run(async () =>
        {
            await foreach (var request in _channel.Reader.ReadAllAsync())
            {
                request.TrySetResult(Ball.Instance);
            }
        });
        _block = new ActionBlock<TaskCompletionSource<object>>(request => request.TrySetResult(Ball.Instance));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Writer.Complete();
        _block.Complete();
        _system.Terminate().Wait();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public async Task Channels()
    {
        for (var i = 0; i < Requests; i++)
        {
            var request = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            _channel.Writer.TryWrite(request);
            await request.Task;
        }
    }

    [Benchmark(OperationsPerInvoke = Requests)]
    public async Task ActionBlocks()
    {
        for (var i = 0; i < Requests; i++)
        {
            var request = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            _block.Post(request);
            await request.Task;
        }
    }

    [Benchmark(OperationsPerInvoke = Requests)]
    public async Task Actors()
    {
        for (var i = 0; i < Requests; i++)
        {
            await _echo.Ask<object>(Ball.Instance);
        }
    }
}

/// <summary>Router dispatch rate: one sender spreads 200,000 messages round-robin over 4 workers. Time is per message.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class RouterBenchmarks
{
    private const int Messages = 200_000;
    private const int Workers = 4;
    private ActorSystem _system = null!;

    [GlobalSetup]
    public void Setup() => _system = BenchmarkSystems.Create(30);

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public async Task Channels()
    {
        var countdown = new Countdown(Messages);
        var channels = Enumerable.Range(0, Workers).Select(_ => Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true })).ToArray();
        var readers = channels.Select(c => Task.Run(async () =>
        {
            while (await c.Reader.WaitToReadAsync())
            {
                while (c.Reader.TryRead(out _))
                {
                    countdown.Signal();
                }
            }
        })).ToArray();
        for (var i = 0; i < Messages; i++)
        {
            channels[i % Workers].Writer.TryWrite(Ball.Instance);
        }

        await countdown.Done;
        foreach (var channel in channels)
        {
            channel.Writer.Complete();
        }

        await Task.WhenAll(readers);
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task ActionBlocks()
    {
        var countdown = new Countdown(Messages);
        var blocks = Enumerable.Range(0, Workers).Select(_ => new ActionBlock<object>(_ => countdown.Signal())).ToArray();
        for (var i = 0; i < Messages; i++)
        {
            blocks[i % Workers].Post(Ball.Instance);
        }

        await countdown.Done;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public async Task Actors()
    {
        var countdown = new Countdown(Messages);
        var router = _system.ActorOf(Props.Create(() => new SinkActor(countdown)).WithRouter(new RoundRobinPool(Workers)));
        for (var i = 0; i < Messages; i++)
        {
            router.Tell(Ball.Instance, ActorRefs.NoSender);
        }

        await countdown.Done;
        _system.Stop(router);
    }
}

/// <summary>The steady-state Tell path of an unbounded mailbox: 100,000 Tells to one actor. Allocated must be 0 B per Tell.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class TellBenchmarks
{
    private const int Messages = 100_000;
    private ActorSystem _system = null!;
    private IActorRef _sink = null!;
    private Countdown _countdown = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = BenchmarkSystems.Create(30);
        _sink = _system.ActorOf(Props.Create(() => new SwitchableSink(this)));
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(OperationsPerInvoke = Messages)]
    public Task Tell()
    {
        _countdown = new Countdown(Messages);
        for (var i = 0; i < Messages; i++)
        {
            _sink.Tell(Ball.Instance, ActorRefs.NoSender);
        }

        return _countdown.Done;
    }

    private sealed class SwitchableSink(TellBenchmarks owner) : UntypedActor
    {
        protected override void OnReceive(object message) => owner._countdown.Signal();
    }
}
