namespace SecureActors.Client.Connection;

/// <summary>Hears about each server_busy refusal while a connect retries (the load client counts them, the interactive client prints them).</summary>
internal interface IBusyRetryObserver
{
    /// <summary>Connection attempt <paramref name="attempt"/> (1-based) was refused with server_busy.</summary>
    /// <param name="attempt">Which attempt was refused.</param>
    /// <param name="retryIn">The backoff before the next attempt; null when the retries are spent and the connect gives up.</param>
    void Refused(int attempt, TimeSpan? retryIn);
}
