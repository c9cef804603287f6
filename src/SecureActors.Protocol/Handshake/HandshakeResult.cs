using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;

namespace SecureActors.Protocol.Handshake;

/// <summary>An established SAP/1 session: what was negotiated, who the peer is, and the record channel.</summary>
public sealed class HandshakeResult
{
    internal HandshakeResult(
        ushort version,
        CipherSuite suite,
        NamedGroup group,
        PeerIdentity? peer,
        byte[] sessionId,
        SecureChannel channel,
        IReadOnlyList<Frame> bufferedFrames,
        string? trustMessage,
        bool clientProvedIdentity = false)
    {
        ClientProvedIdentity = clientProvedIdentity;
        Version = version;
        Suite = suite;
        Group = group;
        Peer = peer;
        SessionIdBytes = sessionId;
        SessionId = Convert.ToHexStringLower(sessionId);
        Channel = channel;
        BufferedFrames = bufferedFrames;
        TrustMessage = trustMessage;
    }

    /// <summary>The negotiated protocol version (1).</summary>
    public ushort Version { get; }

    /// <summary>The negotiated suite.</summary>
    public CipherSuite Suite { get; }

    /// <summary>The key-exchange group used.</summary>
    public NamedGroup Group { get; }

    /// <summary>The verified peer identity: always set for the client's view of the server; null for an anonymous client.</summary>
    public PeerIdentity? Peer { get; }

    /// <summary>16-byte session id both sides derive identically (hex, for logs).</summary>
    public string SessionId { get; }

    /// <summary>The raw session id.</summary>
    public ReadOnlyMemory<byte> SessionIdBytes { get; }

    /// <summary>The protected channel for application data; owned by the caller from now on.</summary>
    public SecureChannel Channel { get; }

    /// <summary>Records that arrived after the final handshake message while crypto was pending; feed them to <see cref="Channel"/> first, in order.</summary>
    public IReadOnlyList<Frame> BufferedFrames { get; }

    /// <summary>
    /// Client side: whether this client sent its Identity and Signature (the server asked for client
    /// authentication and we have a key). Only then may it sign messages (PROTOCOL.md §12).
    /// </summary>
    public bool ClientProvedIdentity { get; }

    /// <summary>Client side: the trust decision's message (e.g. "new host key recorded").</summary>
    public string? TrustMessage { get; }
}
