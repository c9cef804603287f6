namespace SecureActors.Protocol.Handshake;

/// <summary>List caps of the handshake messages (PROTOCOL.md §5); exceeding one is decode_error.</summary>
internal static class HandshakeLimits
{
    public const int RandomLength = 32;
    public const int MaxVersions = 16;
    public const int MaxSuites = 32;
    public const int MaxGroups = 16;
    public const int MaxKeyShares = 2;
    public const int MaxSignatureSchemes = 16;
    public const int MaxExtensions = 32;

    /// <summary>Handshake input buffered while a crypto operation is pending (a whole client flight fits easily).</summary>
    public const int MaxBufferedInput = 64 * 1024;
}
