namespace SecureActors.Actors.Actor;

/// <summary>
/// The children of one actor. Guarded by a lock because <c>system.ActorOf</c> adds children to a
/// guardian from any thread; everything else happens on the owning actor's turn. The collections
/// are made on first use: most actors (every session of a server) never have a child.
/// </summary>
internal sealed class ChildrenContainer
{
    private readonly Lock _lock = new();
    private Dictionary<string, ChildRestartStats?>? _byName;
    private HashSet<InternalActorRef>? _toDie;

    private Dictionary<string, ChildRestartStats?> ByName => _byName ??= new Dictionary<string, ChildRestartStats?>(StringComparer.Ordinal);

    /// <summary>Claims a name for a child about to be created; throws if a live sibling holds it.</summary>
    public void Reserve(string name)
    {
        lock (_lock)
        {
            if (!ByName.TryAdd(name, null))
            {
                throw new InvalidActorNameException($"Actor name [{name}] is not unique!");
            }
        }
    }

    public void Unreserve(string name)
    {
        lock (_lock)
        {
            if (_byName is not null && _byName.TryGetValue(name, out var stats) && stats is null)
            {
                _byName.Remove(name);
            }
        }
    }

    public void Initialize(string name, ChildRestartStats stats)
    {
        lock (_lock)
        {
            ByName[name] = stats;
        }
    }

    public InternalActorRef? GetChild(string name)
    {
        lock (_lock)
        {
            return _byName is not null && _byName.TryGetValue(name, out var stats) ? stats?.Child : null;
        }
    }

    public ChildRestartStats? GetStats(IActorRef child)
    {
        lock (_lock)
        {
            return GetStatsLocked(child);
        }
    }

    public List<InternalActorRef> Snapshot()
    {
        lock (_lock)
        {
            return _byName is null ? [] : [.. _byName.Values.Where(s => s is not null).Select(s => s!.Child)];
        }
    }

    public List<ChildRestartStats> StatsSnapshot()
    {
        lock (_lock)
        {
            return _byName is null ? [] : [.. _byName.Values.Where(s => s is not null).Select(s => s!)];
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _byName is null || _byName.Count == 0;
            }
        }
    }

    /// <summary>Records that a stop was requested for <paramref name="child"/>.</summary>
    public void MarkToDie(InternalActorRef child)
    {
        lock (_lock)
        {
            if (GetStatsLocked(child) is not null)
            {
                (_toDie ??= new HashSet<InternalActorRef>(ReferenceEqualityComparer.Instance)).Add(child);
            }
        }
    }

    public bool HasChildrenToDie
    {
        get
        {
            lock (_lock)
            {
                return _toDie is { Count: > 0 };
            }
        }
    }

    /// <summary>Forgets a terminated child, freeing its name; false if it was not (or no longer) a child.</summary>
    public bool Remove(IActorRef child)
    {
        lock (_lock)
        {
            _toDie?.Remove((InternalActorRef)child);
            if (GetStatsLocked(child) is null)
            {
                return false;
            }

            _byName!.Remove(child.Path.Name);
            return true;
        }
    }

    private ChildRestartStats? GetStatsLocked(IActorRef child) =>
        _byName is not null && _byName.TryGetValue(child.Path.Name, out var stats) && stats is not null && ReferenceEquals(stats.Child, child) ? stats : null;
}
