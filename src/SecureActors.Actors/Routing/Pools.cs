using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Routing;

/// <summary>Sends each message to the next routee in turn.</summary>
public sealed class RoundRobinPool(int nrOfInstances, SupervisorStrategy? supervisorStrategy = null) : Pool(nrOfInstances, supervisorStrategy)
{
    /// <inheritdoc />
    public override Pool WithSupervisorStrategy(SupervisorStrategy strategy) => new RoundRobinPool(NrOfInstances, strategy);

    internal override RoutingLogic CreateRoutingLogic(ActorSystem system) => new RoundRobinRoutingLogic();
}

/// <summary>Sends each message to an idle routee with an empty mailbox, else to the one with the fewest queued messages.</summary>
public sealed class SmallestMailboxPool(int nrOfInstances, SupervisorStrategy? supervisorStrategy = null) : Pool(nrOfInstances, supervisorStrategy)
{
    /// <inheritdoc />
    public override Pool WithSupervisorStrategy(SupervisorStrategy strategy) => new SmallestMailboxPool(NrOfInstances, strategy);

    internal override RoutingLogic CreateRoutingLogic(ActorSystem system) => new SmallestMailboxRoutingLogic();
}

/// <summary>Sends every message to every routee.</summary>
public sealed class BroadcastPool(int nrOfInstances, SupervisorStrategy? supervisorStrategy = null) : Pool(nrOfInstances, supervisorStrategy)
{
    /// <inheritdoc />
    public override Pool WithSupervisorStrategy(SupervisorStrategy strategy) => new BroadcastPool(NrOfInstances, strategy);

    internal override RoutingLogic CreateRoutingLogic(ActorSystem system) => new BroadcastRoutingLogic();
}

/// <summary>Maps a message to its consistent-hash key; null when it has none.</summary>
public delegate object? ConsistentHashMapping(object message);

/// <summary>
/// Sends messages with the same key to the same routee. The key comes from the
/// <see cref="ConsistentHashMapping"/> first, then from <see cref="IConsistentHashable"/> (which
/// <see cref="ConsistentHashableEnvelope"/> implements); a message with neither goes to dead letters.
/// </summary>
public sealed class ConsistentHashingPool : Pool
{
    /// <summary>Creates the pool; <paramref name="virtualNodesFactor"/> 0 takes the configured default.</summary>
    public ConsistentHashingPool(int nrOfInstances, int virtualNodesFactor = 0, ConsistentHashMapping? hashMapping = null, SupervisorStrategy? supervisorStrategy = null)
        : base(nrOfInstances, supervisorStrategy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(virtualNodesFactor);
        VirtualNodesFactor = virtualNodesFactor;
        HashMapping = hashMapping;
    }

    /// <summary>Points per routee on the hash ring; 0 means the configured default.</summary>
    public int VirtualNodesFactor { get; }

    /// <summary>The key mapping, if any.</summary>
    public ConsistentHashMapping? HashMapping { get; }

    /// <summary>The same pool with a key mapping.</summary>
    public ConsistentHashingPool WithHashMapping(ConsistentHashMapping mapping) =>
        new(NrOfInstances, VirtualNodesFactor, mapping, SupervisorStrategy);

    /// <inheritdoc />
    public override Pool WithSupervisorStrategy(SupervisorStrategy strategy) =>
        new ConsistentHashingPool(NrOfInstances, VirtualNodesFactor, HashMapping, strategy);

    internal override Pool WithFallback(RouterConfig code)
    {
        var merged = (ConsistentHashingPool)base.WithFallback(code);
        return code is ConsistentHashingPool { HashMapping: { } mapping } && merged.HashMapping is null
            ? merged.WithHashMapping(mapping)
            : merged;
    }

    internal override RoutingLogic CreateRoutingLogic(ActorSystem system) =>
        new ConsistentHashingRoutingLogic(VirtualNodesFactor > 0 ? VirtualNodesFactor : system.Deployer.DefaultVirtualNodesFactor, HashMapping);
}
