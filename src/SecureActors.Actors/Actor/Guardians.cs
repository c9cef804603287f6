using SecureActors.Actors.Dispatch;

namespace SecureActors.Actors.Actor;

/// <summary>The parent of top-level actors: /user and /system. Supervises with the default strategy.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;

    protected override void PreRestart(Exception reason, object? message)
    {
        // A guardian keeps its children across a restart.
    }
}

/// <summary>
/// The root: when /user stops it stops /system, and when /system stops it stops itself, which
/// completes the system's termination.
/// </summary>
internal sealed class RootGuardianActor : ActorBase
{
    protected override SupervisorStrategy SupervisorStrategy() => Actor.SupervisorStrategy.StoppingStrategy;

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case WatchGuardians watch:
                Context.Watch(watch.User);
                Context.Watch(watch.System);
                return true;
            case Terminated terminated when terminated.ActorRef.Path.Name == "user":
                if (Context.Child("system") is var system && !system.IsNobody())
                {
                    Context.Stop(system);
                }
                else
                {
                    Context.Stop(Self);
                }

                return true;
            case Terminated:
                Context.Stop(Self);
                return true;
            default:
                return false;
        }
    }

    public sealed record WatchGuardians(IActorRef User, IActorRef System);
}

/// <summary>The parent of the root guardian: hears when the root has stopped and finishes termination.</summary>
internal sealed class TerminationSentinel(ActorSystem system) : InternalActorRef
{
    public override ActorPath Path { get; } = ActorPath.Root(system.Name).Child("bubble-walker");

    public override void Tell(object message, IActorRef? sender)
    {
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case DeathWatchNotification:
                system.OnRootTerminated();
                break;
            case Failed failed:
                system.Log.Error(failed.Cause, "The root guardian failed; stopping the system: {Reason}", failed.Cause.Message);
                failed.Child.Stop();
                break;
        }
    }
}
