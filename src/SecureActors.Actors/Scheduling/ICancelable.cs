namespace SecureActors.Actors.Scheduling;

/// <summary>A scheduled task that can be cancelled.</summary>
public interface ICancelable
{
    /// <summary>Prevents further runs; safe to call more than once.</summary>
    void Cancel();

    /// <summary>True once <see cref="Cancel"/> was called.</summary>
    bool IsCancellationRequested { get; }
}
