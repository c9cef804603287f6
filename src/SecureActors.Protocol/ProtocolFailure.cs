namespace SecureActors.Protocol;

/// <summary>
/// A typed, expected protocol failure: the alert that ends (or ended) the connection and a short
/// log-safe reason. Reasons never contain key material.
/// </summary>
/// <param name="Alert">The alert sent to the peer, or received from it.</param>
/// <param name="Reason">A human-readable explanation for the local log only; never sent.</param>
/// <param name="ReceivedFromPeer">True when the peer sent this alert; false when we detected the fault.</param>
public sealed record ProtocolFailure(AlertDescription Alert, string Reason, bool ReceivedFromPeer = false)
{
    /// <inheritdoc />
    public override string ToString() =>
        ReceivedFromPeer ? $"peer sent {Alert} ({(byte)Alert}): {Reason}" : $"{Alert} ({(byte)Alert}): {Reason}";
}
