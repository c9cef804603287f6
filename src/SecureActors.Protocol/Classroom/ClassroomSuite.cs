namespace SecureActors.Protocol.Classroom;

/// <summary>
/// Gatekeeper of the insecure classroom suite: it is usable only when both sides enable it, and
/// every use raises <see cref="ProtocolOptions.SecurityWarning"/>.
/// </summary>
public static class ClassroomSuite
{
    /// <summary>The warning text raised on every use.</summary>
    public const string Warning =
        "INSECURE: the classroom suite is in use (16-bit DH, 9-bit RSA, toy cipher and MAC). It is broken by design; never use it for real data.";

    /// <summary>Whether the suite may be negotiated between these two configurations.</summary>
    public static bool IsNegotiable(ProtocolOptions client, ProtocolOptions server)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        return client.EnableClassroom && server.EnableClassroom;
    }

    /// <summary>Starts a classroom session for one side: raises the warning, refuses if disabled.</summary>
    public static ClassroomSession Begin(ProtocolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.EnableClassroom)
        {
            throw new InvalidOperationException("the classroom suite is disabled in this configuration");
        }

        options.SecurityWarning?.Invoke(Warning);
        return new ClassroomSession(options);
    }
}

/// <summary>One side of a classroom exchange: toy DH, toy RSA, toy cipher and MAC, warning on every use.</summary>
public sealed class ClassroomSession
{
    private readonly ProtocolOptions _options;
    private readonly int _secret = ClassroomDh.GenerateSecret();
    private ClassroomCipher? _cipher;

    internal ClassroomSession(ProtocolOptions options)
    {
        _options = options;
        PublicValue = ClassroomDh.PublicValue(_secret);
    }

    /// <summary>Our DH public value (sent unauthenticated, as in the seeds).</summary>
    public int PublicValue { get; }

    /// <summary>Our toy RSA key for the MAC.</summary>
    public ClassroomRsa Key { get; } = ClassroomRsa.Generate();

    /// <summary>Completes the DH with the peer's value.</summary>
    public void Agree(int peerPublic) => _cipher = ClassroomCipher.FromSharedSecret(ClassroomDh.SharedSecret(peerPublic, _secret));

    /// <summary>Encrypts and MACs a message.</summary>
    public (byte[] Ciphertext, int Tag) Seal(ReadOnlySpan<byte> message)
    {
        Warn();
        return (Cipher.Encrypt(message), ClassroomMac.Compute(Key, message));
    }

    /// <summary>Decrypts and checks a message against the peer's toy key.</summary>
    public byte[]? Open(ReadOnlySpan<byte> ciphertext, int tag, ClassroomRsa peerKey)
    {
        Warn();
        var plain = Cipher.Decrypt(ciphertext);
        return plain is not null && ClassroomMac.Verify(peerKey, plain, tag) ? plain : null;
    }

    private ClassroomCipher Cipher => _cipher ?? throw new InvalidOperationException("Agree first");

    private void Warn() => _options.SecurityWarning?.Invoke(ClassroomSuite.Warning);
}
