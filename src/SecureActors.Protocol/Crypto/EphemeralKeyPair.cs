namespace SecureActors.Protocol.Crypto;

/// <summary>
/// A fresh key-exchange key pair, used once. Owned by exactly one party at a time (the state
/// machine, or the crypto operation executing on a worker); disposing it erases the private part.
/// </summary>
public abstract class EphemeralKeyPair : IDisposable
{
    /// <summary>The group this pair belongs to.</summary>
    public abstract NamedGroup Group { get; }

    /// <summary>The public share exactly as sent on the wire.</summary>
    public abstract ReadOnlyMemory<byte> PublicShare { get; }

    /// <summary>Generates a key pair for <paramref name="group"/>.</summary>
    public static EphemeralKeyPair Generate(NamedGroup group) => group switch
    {
        NamedGroup.Secp256r1 or NamedGroup.Secp384r1 => EcdhKeyPair.Create(group),
        NamedGroup.Ffdhe2048 or NamedGroup.Ffdhe3072 => FfdheKeyPair.Create(FfdheGroup.For(group)!),
        NamedGroup.Classroom => Classroom.ClassroomKeyPair.Create(),
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "unsupported group"),
    };

    /// <summary>
    /// Validates the peer's share and computes the fixed-length shared secret Z. Expected failures
    /// (an invalid share) come back as a failure value, never as an exception.
    /// </summary>
    internal abstract byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerShare, out ProtocolFailure? failure);

    /// <summary>
    /// <see cref="DeriveSharedSecret"/>, then erases the private key whatever the outcome: the
    /// one use an exchange makes of it (forward secrecy: it is gone before the traffic keys are used).
    /// </summary>
    internal byte[]? DeriveSharedSecretAndErase(ReadOnlySpan<byte> peerShare, out ProtocolFailure? failure)
    {
        try
        {
            return DeriveSharedSecret(peerShare, out failure);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Whether a share has the right shape for this group (length and encoding), without any crypto.</summary>
    internal static ProtocolFailure? CheckShareSyntax(NamedGroup group, ReadOnlySpan<byte> share) => group switch
    {
        NamedGroup.Secp256r1 or NamedGroup.Secp384r1 => EcdhKeyPair.CheckShape(group, share),
        NamedGroup.Ffdhe2048 or NamedGroup.Ffdhe3072 => FfdheKeyPair.CheckShape(FfdheGroup.For(group)!, share),
        NamedGroup.Classroom => Classroom.ClassroomKeyPair.CheckShape(share),
        _ => new ProtocolFailure(AlertDescription.IllegalParameter, "share for an unknown group"),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Erases the private key.</summary>
    protected abstract void Dispose(bool disposing);
}
