namespace SecureActors.Protocol.Identity;

/// <summary>The peer's proven long-term key, and the name our own trust files give it.</summary>
public sealed class PeerIdentity
{
    /// <summary>Creates an identity for a DER SubjectPublicKeyInfo.</summary>
    public PeerIdentity(ReadOnlyMemory<byte> spki, string? displayName = null)
    {
        Spki = spki.ToArray();
        Fingerprint = Identity.Fingerprint.Of(spki.Span);
        DisplayName = displayName;
    }

    /// <summary>The peer's DER SubjectPublicKeyInfo.</summary>
    public ReadOnlyMemory<byte> Spki { get; }

    /// <summary><c>SHA256:…</c> fingerprint of <see cref="Spki"/>.</summary>
    public string Fingerprint { get; }

    /// <summary>Name from authorized_clients (never from the peer itself); null when none applies.</summary>
    public string? DisplayName { get; }

    /// <summary>A copy carrying a display name.</summary>
    public PeerIdentity WithDisplayName(string? displayName) => new(Spki, displayName);

    /// <inheritdoc />
    public override string ToString() => DisplayName is null ? Fingerprint : $"{DisplayName} ({Fingerprint})";
}
