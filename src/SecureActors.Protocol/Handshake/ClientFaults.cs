namespace SecureActors.Protocol.Handshake;

/// <summary>
/// Test-only misbehaviour of the client machine (BoGo ProtocolBugs style); internal, so it can
/// never be reached from the wire or from configuration.
/// </summary>
internal sealed class ClientFaults
{
    public bool CorruptFinished { get; init; }

    /// <summary>Added to the Finished length: positive pads with zeros, negative truncates.</summary>
    public int FinishedLengthDelta { get; init; }

    public bool SkipSignature { get; init; }

    public bool SignWithServerContext { get; init; }

    /// <summary>Sign with this key while presenting the configured identity (a signature from another key).</summary>
    public Identity.LocalIdentity? SignWith { get; init; }

    /// <summary>Extra raw bytes appended after the client Finished inside the same record.</summary>
    public byte[]? TrailingAfterFinished { get; init; }

    /// <summary>Replaces every offered version list (e.g. to simulate a client that supports version 2).</summary>
    public ushort[]? OfferedVersions { get; init; }

    /// <summary>Replaces the key shares the client sends.</summary>
    public HandshakeMessages.KeyShare[]? KeyShares { get; init; }

    /// <summary>Seals an application-data record under c_hs before the Finished.</summary>
    public bool ApplicationDataBeforeFinished { get; init; }

    /// <summary>Mutates the encoded ClientHello before it is sent and hashed.</summary>
    public Func<byte[], byte[]>? MutateClientHello { get; init; }

    /// <summary>Replaces the signature value with one computed from the signed content (wrong padding, salt, MGF1).</summary>
    public Func<byte[], byte[]>? ForgeSignature { get; init; }

    /// <summary>Claims this scheme in the client's Signature message whatever was negotiated.</summary>
    public Crypto.SignatureScheme? ClaimScheme { get; init; }
}
