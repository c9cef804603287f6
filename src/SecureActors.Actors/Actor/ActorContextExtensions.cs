namespace SecureActors.Actors.Actor;

/// <summary>
/// A behaviour of an <see cref="UntypedActor"/> (Akka.NET's <c>UntypedReceive</c>): it takes every
/// message and calls <see cref="ActorBase"/>'s <c>Unhandled</c> itself for those it does not handle.
/// </summary>
public delegate void UntypedReceive(object message);

/// <summary>Akka.NET-shaped shorthands on <see cref="IActorContext"/>.</summary>
public static class ActorContextExtensions
{
    /// <summary>Creates a child with a parameterless constructor (Akka.NET's <c>Context.ActorOf&lt;TActor&gt;(name)</c>).</summary>
    public static IActorRef ActorOf<TActor>(this IActorContext context, string? name = null)
        where TActor : ActorBase, new()
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.ActorOf(Props.Create<TActor>(), name);
    }

    /// <summary>
    /// Replaces the behaviour with a void handler, as <c>Context.Become(UntypedReceive)</c> in an
    /// Akka.NET UntypedActor: every message counts as handled, the handler calls Unhandled itself.
    /// </summary>
    public static void Become(this IActorContext context, UntypedReceive receive)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Become(Handled(receive));
    }

    /// <summary>Pushes a void handler (Akka.NET's <c>Context.BecomeStacked(UntypedReceive)</c>); <see cref="IActorContext.UnbecomeStacked"/> pops it.</summary>
    public static void BecomeStacked(this IActorContext context, UntypedReceive receive)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.BecomeStacked(Handled(receive));
    }

    private static Receive Handled(UntypedReceive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        return message =>
        {
            receive(message);
            return true;
        };
    }
}
