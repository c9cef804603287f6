using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using SecureActors.Actors.Actor;

namespace SecureActors.Benchmarks.Actors;

/// <summary>The message every workload passes around: one preallocated object, so only the transport is measured.</summary>
internal static class Ball
{
    public static readonly object Instance = new();
}

/// <summary>Counts arrivals and completes once the expected number has arrived.</summary>
internal sealed class Countdown(long expected)
{
    private long _left = expected;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Done => _done.Task;

    public void Signal()
    {
        if (Interlocked.Decrement(ref _left) == 0)
        {
            _done.TrySetResult();
        }
    }
}

/// <summary>One side of an actor ping-pong pair: returns the ball until its rounds are used up.</summary>
internal sealed class PingPongActor : UntypedActor
{
    private readonly Countdown _countdown;
    private int _rounds;

    public PingPongActor(Countdown countdown, int rounds)
    {
        _countdown = countdown;
        _rounds = rounds;
    }

    protected override void OnReceive(object message)
    {
        if (message is IActorRef partner)
        {
            partner.Tell(Ball.Instance, Self);
            return;
        }

        _countdown.Signal();
        if (--_rounds > 0)
        {
            Sender.Tell(Ball.Instance, Self);
        }
    }
}

/// <summary>Counts every message it receives.</summary>
internal sealed class SinkActor(Countdown countdown) : UntypedActor
{
    protected override void OnReceive(object message) => countdown.Signal();
}

/// <summary>Replies with the message.</summary>
internal sealed class EchoActor : UntypedActor
{
    protected override void OnReceive(object message) => Sender.Tell(message, Self);
}

/// <summary>A ping-pong endpoint on a plain Channel with one reader loop: what a user might write instead of an actor.</summary>
internal sealed class ChannelEndpoint
{
    private readonly Channel<object> _channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelEndpoint(Countdown countdown, int rounds, Func<ChannelEndpoint> partner) => _ = RunAsync(countdown, rounds, partner);

    public void Post(object message) => _channel.Writer.TryWrite(message);

    private async Task RunAsync(Countdown countdown, int rounds, Func<ChannelEndpoint> partner)
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out _))
            {
                countdown.Signal();
                if (--rounds > 0)
                {
                    partner().Post(Ball.Instance);
                }
                else
                {
                    return;
                }
            }
        }
    }
}

/// <summary>A ping-pong endpoint on a TPL Dataflow ActionBlock.</summary>
internal sealed class BlockEndpoint
{
    private readonly ActionBlock<object> _block;
    private int _rounds;

    public BlockEndpoint(Countdown countdown, int rounds, Func<BlockEndpoint> partner)
    {
        _rounds = rounds;
        _block = new ActionBlock<object>(_ =>
        {
            countdown.Signal();
            if (--_rounds > 0)
            {
                partner().Post(Ball.Instance);
            }
        });
    }

    public void Post(object message) => _block.Post(message);
}

/// <summary>Builds actor systems tuned for one benchmark parameter set.</summary>
internal static class BenchmarkSystems
{
    public static ActorSystem Create(int throughput) =>
        ActorSystem.Create("bench", SecureActors.Hocon.ConfigFactory.ParseString(
            $"actors.actor.default-dispatcher.throughput = {throughput}\nactors.loglevel = WARNING\nactors.coordinated-shutdown.run-by-clr-shutdown-hook = off"));
}
