using SecureActors.Protocol;
using SecureActors.Protocol.Framing;

namespace SecureActors.Server.Transport;

/// <summary>What a connection's socket loops tell the session that owns it. Every message owns its bytes.</summary>
internal static class TransportProtocol
{
    /// <summary>One whole record arrived; <see cref="Frame"/> owns a copy of its body.</summary>
    public sealed record FrameReceived(Frame Frame);

    /// <summary>The byte stream is not valid SAP/1 framing (e.g. a record over its cap); send the alert and close.</summary>
    public sealed record FramingFailed(ProtocolFailure Failure);

    /// <summary>The first bytes were not the SAP/1 magic: the peer speaks something else; close without an alert.</summary>
    public sealed class PrologueRejected
    {
        public static readonly PrologueRejected Instance = new();

        private PrologueRejected()
        {
        }
    }

    /// <summary>The peer closed or reset the connection, or the socket failed. <see cref="MidRecord"/>: a record was cut short.</summary>
    public sealed record Disconnected(bool MidRecord, string Reason);
}
