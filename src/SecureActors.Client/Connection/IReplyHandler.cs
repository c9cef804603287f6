namespace SecureActors.Client.Connection;

/// <summary>
/// Receives the outcome of one request. The load client implements it once per session so that the
/// reply path allocates nothing; <see cref="SecureClient.SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
/// wraps a task around it.
/// </summary>
internal interface IReplyHandler
{
    /// <summary>
    /// The reply arrived. Runs on the receive loop while the connection lock is held: copy what must be
    /// kept (<paramref name="payload"/> is valid only during the call) and return quickly. Sending a
    /// further request from here is allowed (the lock is re-entrant). <paramref name="receivedAt"/> is
    /// the <see cref="System.Diagnostics.Stopwatch"/> timestamp of the socket read that brought it
    /// (one clock read per read, however many replies it carried).
    /// </summary>
    void OnReply(ReadOnlySpan<byte> payload, long token, long receivedAt);

    /// <summary>The session ended before the reply arrived. Runs outside the connection lock.</summary>
    void OnFailed(Exception error, long token);
}
