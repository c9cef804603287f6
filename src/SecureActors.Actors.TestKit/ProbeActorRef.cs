using System.Threading.Channels;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Dispatch;

namespace SecureActors.Actors.TestKit;

/// <summary>
/// The reference of a test actor or probe: a queue, not a mailbox. Whatever is sent to it waits
/// there for the Expect methods; a watched actor's death arrives as <see cref="Terminated"/>.
/// </summary>
internal sealed class ProbeActorRef(ActorSystem system, ActorPath path) : InternalActorRef, IHasSystem
{
    private readonly Channel<Envelope> _queue = Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Lock _lock = new();
    private readonly HashSet<IActorRef> _watching = new(ReferenceEqualityComparer.Instance);
    private volatile Func<object, bool>? _ignore;

    public override ActorPath Path { get; } = path;

    public ActorSystem System => system;

    public ChannelReader<Envelope> Reader => _queue.Reader;

    /// <summary>Drops, on arrival, every later message <paramref name="ignore"/> accepts; null stops ignoring.</summary>
    public void SetIgnore(Func<object, bool>? ignore) => _ignore = ignore;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_ignore is { } ignore && ignore(message))
        {
            return;
        }

        _queue.Writer.TryWrite(new Envelope(message, sender ?? system.DeadLetters));
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification notification)
        {
            bool watched;
            lock (_lock)
            {
                watched = _watching.Remove(notification.Actor);
            }

            if (watched)
            {
                Tell(new Terminated(notification.Actor, notification.ExistenceConfirmed, AddressTerminated: false), notification.Actor);
            }
        }
    }

    public void Watch(IActorRef actor)
    {
        var target = actor.AsInternal();
        lock (_lock)
        {
            if (!_watching.Add(target))
            {
                return;
            }
        }

        target.SendSystemMessage(new Watch(target, this));
    }

    public void Unwatch(IActorRef actor)
    {
        var target = actor.AsInternal();
        lock (_lock)
        {
            if (!_watching.Remove(target))
            {
                return;
            }
        }

        target.SendSystemMessage(new Unwatch(target, this));
    }
}
