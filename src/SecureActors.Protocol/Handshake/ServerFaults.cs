namespace SecureActors.Protocol.Handshake;

/// <summary>
/// Test-only misbehaviour of the server machine (BoGo ProtocolBugs style); internal, so it can
/// never be reached from the wire or from configuration.
/// </summary>
internal sealed class ServerFaults
{
    public bool AlwaysSetSentinel { get; init; }

    public byte[]? ReplaceShare { get; init; }

    public bool CorruptFinished { get; init; }

    public bool SignWithClientContext { get; init; }

    /// <summary>Claims this scheme in the Signature message whatever was negotiated.</summary>
    public Crypto.SignatureScheme? ClaimScheme { get; init; }

    /// <summary>Replaces the signature value with one computed from the signed content (wrong padding, salt, MGF1).</summary>
    public Func<byte[], byte[]>? ForgeSignature { get; init; }
}
