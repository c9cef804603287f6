using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Routing;

/// <summary>What kind of router, if any, an actor is; set with <see cref="Props.WithRouter"/>.</summary>
public abstract class RouterConfig
{
    private protected RouterConfig()
    {
    }
}

/// <summary>Not a router (the default).</summary>
public sealed class NoRouter : RouterConfig
{
    /// <summary>The single instance.</summary>
    public static readonly NoRouter Instance = new();

    private NoRouter()
    {
    }

    /// <inheritdoc />
    public override string ToString() => "NoRouter";
}

/// <summary>Takes the router entirely from the deployment section for the actor's path; creating the actor fails if there is none.</summary>
public sealed class FromConfig : RouterConfig
{
    /// <summary>The single instance.</summary>
    public static readonly FromConfig Instance = new();

    private FromConfig()
    {
    }

    /// <inheritdoc />
    public override string ToString() => "FromConfig";
}

/// <summary>
/// A router that creates its routees as its own children from the props it is attached to. Each
/// routee is supervised on its own by <see cref="SupervisorStrategy"/> (default: restart only the
/// failed routee). Messages are routed on the sender's thread, bypassing the router's mailbox;
/// routees see the original sender. <see cref="PoisonPill"/> and <see cref="Kill"/> stop the router
/// itself (and so its routees); wrap them in <see cref="Broadcast"/> to reach the routees.
/// </summary>
public abstract class Pool : RouterConfig
{
    private protected Pool(int nrOfInstances, SupervisorStrategy? supervisorStrategy)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nrOfInstances);
        NrOfInstances = nrOfInstances;
        SupervisorStrategy = supervisorStrategy ?? SupervisorStrategy.DefaultStrategy;
    }

    /// <summary>How many routees the pool starts with.</summary>
    public int NrOfInstances { get; }

    /// <summary>How the router supervises its routees.</summary>
    public SupervisorStrategy SupervisorStrategy { get; }

    /// <summary>The same pool with another supervisor strategy.</summary>
    public abstract Pool WithSupervisorStrategy(SupervisorStrategy strategy);

    internal abstract RoutingLogic CreateRoutingLogic(ActorSystem system);

    /// <summary>Combines a pool read from deployment config with the one written in code (config wins, code keeps its strategy).</summary>
    internal virtual Pool WithFallback(RouterConfig code) =>
        code is Pool pool && !ReferenceEquals(pool.SupervisorStrategy, SupervisorStrategy.DefaultStrategy)
            ? WithSupervisorStrategy(pool.SupervisorStrategy)
            : this;

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}({NrOfInstances})";
}
