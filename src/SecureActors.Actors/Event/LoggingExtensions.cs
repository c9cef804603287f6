using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Event;

/// <summary>Getting a logger inside an actor.</summary>
public static class LoggingExtensions
{
    /// <summary>A logger that tags every event with this actor's path (<c>ActorPath</c>) and type (<c>SourceContext</c>).</summary>
    public static ILoggingAdapter GetLogger(this IActorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cell = (ActorCell)context;
        return cell.System.LoggerFor(cell.Path, cell.Actor?.GetType() ?? cell.Props.ActorType);
    }
}
