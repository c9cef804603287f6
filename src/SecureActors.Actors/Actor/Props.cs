using SecureActors.Actors.Dispatch;
using SecureActors.Actors.Routing;

namespace SecureActors.Actors.Actor;

/// <summary>
/// An immutable recipe for an actor: a factory for its instances (called again on every restart),
/// plus where it runs (dispatcher, mailbox), whether it is a router, and how it supervises.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Func<ActorBase> factory, Type actorType, string dispatcher, string mailbox, RouterConfig router, SupervisorStrategy? strategy)
    {
        _factory = factory;
        ActorType = actorType;
        Dispatcher = dispatcher;
        Mailbox = mailbox;
        RouterConfig = router;
        SupervisorStrategy = strategy;
    }

    /// <summary>Props whose instances <paramref name="factory"/> builds; it must return a new instance on each call.</summary>
    public static Props Create<TActor>(Func<TActor> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(factory, typeof(TActor), Dispatchers.DefaultDispatcherId, Mailboxes.DefaultMailboxId, NoRouter.Instance, null);
    }

    /// <summary>
    /// Props for an actor with a public parameterless constructor, as Akka.NET's
    /// <c>Props.Create&lt;TActor&gt;()</c>: a new instance per incarnation.
    /// </summary>
    public static Props Create<TActor>()
        where TActor : ActorBase, new() => Create(() => new TActor());

    /// <summary>
    /// Props for an actor that handles nothing, as Akka.NET's <c>Props.Empty</c>: every message is
    /// unhandled (published as <see cref="Event.UnhandledMessage"/>). Useful as a watch target or
    /// a reply sink that never answers.
    /// </summary>
    public static Props Empty { get; } = Create(() => new EmptyActor());

    /// <summary>The type the factory produces.</summary>
    public Type ActorType { get; }

    /// <summary>The configuration path of the dispatcher, e.g. <c>actors.actor.default-dispatcher</c>.</summary>
    public string Dispatcher { get; }

    /// <summary>The configuration path of the mailbox, e.g. <c>actors.actor.default-mailbox</c>.</summary>
    public string Mailbox { get; }

    /// <summary>The router this actor becomes, or <see cref="NoRouter"/>.</summary>
    public RouterConfig RouterConfig { get; }

    /// <summary>The supervisor strategy for actors that do not override <c>SupervisorStrategy()</c>; null for the default.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Runs the actor on the dispatcher configured at <paramref name="dispatcherId"/>.</summary>
    public Props WithDispatcher(string dispatcherId) =>
        new(_factory, ActorType, dispatcherId, Mailbox, RouterConfig, SupervisorStrategy);

    /// <summary>Gives the actor the mailbox configured at <paramref name="mailboxId"/>.</summary>
    public Props WithMailbox(string mailboxId) =>
        new(_factory, ActorType, Dispatcher, mailboxId, RouterConfig, SupervisorStrategy);

    /// <summary>Makes the actor a router whose routees are built from these props.</summary>
    public Props WithRouter(RouterConfig router)
    {
        ArgumentNullException.ThrowIfNull(router);
        return new(_factory, ActorType, Dispatcher, Mailbox, router, SupervisorStrategy);
    }

    /// <summary>Sets the strategy used unless the actor overrides <c>SupervisorStrategy()</c>.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy) =>
        new(_factory, ActorType, Dispatcher, Mailbox, RouterConfig, strategy);

    internal ActorBase NewActor() => _factory();

    /// <inheritdoc />
    public override string ToString() => $"Props({ActorType.Name}, dispatcher={Dispatcher}, mailbox={Mailbox}, router={RouterConfig})";
}

/// <summary>The actor of <see cref="Props.Empty"/>: leaves every message unhandled.</summary>
internal sealed class EmptyActor : ActorBase
{
    protected override bool Receive(object message) => false;
}
