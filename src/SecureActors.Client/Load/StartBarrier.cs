namespace SecureActors.Client.Load;

/// <summary>
/// Start-together: each session arrives once, connected or given up, and the last arrival opens the
/// barrier. Just before it opens, the client's heap is collected once: otherwise the client's first
/// collection lands in the opening burst and stops every session at once (measured: 6-10 ms with the
/// sessions' state to promote), which the report would charge to the server. Both load clients (ours
/// and the TLS peer's) use it, so both servers are measured alike.
/// </summary>
internal sealed class StartBarrier(int sessions, Action onOpening)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrivals;

    /// <summary>Completes when every session has arrived, or when the run stops first (<see cref="Release"/>).</summary>
    public Task Opened => _open.Task;

    /// <summary>Reports one session's arrival; the last one runs <c>onOpening</c> (the caller starts its clock there) and opens.</summary>
    public Task ArriveAsync()
    {
        if (Interlocked.Increment(ref _arrivals) == sessions)
        {
            GC.Collect();
            onOpening();
            _open.TrySetResult();
        }

        return _open.Task;
    }

    /// <summary>The run stopped before everyone arrived: nobody waits any longer.</summary>
    public void Release() => _open.TrySetResult();
}
