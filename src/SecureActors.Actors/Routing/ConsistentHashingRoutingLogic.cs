namespace SecureActors.Actors.Routing;

/// <summary>
/// Equal keys to the same routee, through a ring with <c>virtualNodesFactor</c> points per routee.
/// The ring is rebuilt only when the set of routees changes.
/// </summary>
public sealed class ConsistentHashingRoutingLogic : RoutingLogic
{
    private readonly int _virtualNodesFactor;
    private readonly ConsistentHashMapping? _mapping;
    private volatile Cache? _cache;

    /// <summary>Creates the logic.</summary>
    public ConsistentHashingRoutingLogic(int virtualNodesFactor, ConsistentHashMapping? mapping = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(virtualNodesFactor);
        _virtualNodesFactor = virtualNodesFactor;
        _mapping = mapping;
    }

    /// <inheritdoc />
    public override Routee Select(object message, IReadOnlyList<Routee> routees)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(routees);
        if (routees.Count == 0)
        {
            return NoRoutee.Instance;
        }

        var key = _mapping?.Invoke(message is RouterEnvelope envelope ? envelope.Message : message)
            ?? (message as IConsistentHashable)?.ConsistentHashKey;
        if (key is null)
        {
            return NoRoutee.Instance;
        }

        var cache = _cache;
        if (cache is null || !ReferenceEquals(cache.Routees, routees))
        {
            cache = new Cache(routees, ConsistentHash<Routee>.Create(routees, _virtualNodesFactor, r => r.Identity));
            _cache = cache;
        }

        return cache.Ring.NodeFor(ConsistentHash<Routee>.KeyBytes(key));
    }

    private sealed record Cache(IReadOnlyList<Routee> Routees, ConsistentHash<Routee> Ring);
}
