namespace SecureActors.Actors.Routing;

/// <summary>
/// Chooses the routee for a message. A pure object, safe to call from many threads at once;
/// the router calls it on the sender's thread.
/// </summary>
public abstract class RoutingLogic
{
    /// <summary>The routee for <paramref name="message"/>; <see cref="NoRoutee"/> when none fits.</summary>
    public abstract Routee Select(object message, IReadOnlyList<Routee> routees);
}

/// <summary>Each message to the next routee, wrapping around.</summary>
public sealed class RoundRobinRoutingLogic : RoutingLogic
{
    private long _next = -1;

    /// <summary>Starts the counter elsewhere, to test wrap-around.</summary>
    internal RoundRobinRoutingLogic(long start) => _next = start;

    /// <summary>Creates the logic.</summary>
    public RoundRobinRoutingLogic()
    {
    }

    /// <inheritdoc />
    public override Routee Select(object message, IReadOnlyList<Routee> routees)
    {
        ArgumentNullException.ThrowIfNull(routees);
        if (routees.Count == 0)
        {
            return NoRoutee.Instance;
        }

        // Unsigned arithmetic: when the counter wraps past long.MaxValue the index stays in range.
        var n = (ulong)Interlocked.Increment(ref _next);
        return routees[(int)(n % (ulong)routees.Count)];
    }
}

/// <summary>Every message to every routee.</summary>
public sealed class BroadcastRoutingLogic : RoutingLogic
{
    /// <inheritdoc />
    public override Routee Select(object message, IReadOnlyList<Routee> routees)
    {
        ArgumentNullException.ThrowIfNull(routees);
        return routees.Count == 0 ? NoRoutee.Instance : new SeveralRoutees(routees);
    }
}

/// <summary>
/// An idle routee with an empty mailbox if there is one (first found wins), else the routee with the
/// fewest queued messages, a busy one counting as one more; routees whose load is unknown come last.
/// </summary>
public sealed class SmallestMailboxRoutingLogic : RoutingLogic
{
    private readonly RoundRobinRoutingLogic _fallback = new();

    /// <inheritdoc />
    public override Routee Select(object message, IReadOnlyList<Routee> routees)
    {
        ArgumentNullException.ThrowIfNull(routees);
        Routee? best = null;
        var bestScore = long.MaxValue;
        foreach (var routee in routees)
        {
            var queued = routee.QueuedMessages;
            if (queued < 0)
            {
                continue;
            }

            var busy = routee.IsBusy;
            if (queued == 0 && !busy)
            {
                return routee;
            }

            var score = (2L * queued) + (busy ? 1 : 0);
            if (score < bestScore)
            {
                bestScore = score;
                best = routee;
            }
        }

        return best ?? _fallback.Select(message, routees);
    }
}
