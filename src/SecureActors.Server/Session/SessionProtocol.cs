namespace SecureActors.Server.Session;

/// <summary>Messages to and from a session actor (its transport messages are in <c>TransportProtocol</c>).</summary>
internal static class SessionProtocol
{
    /// <summary>Stop taking requests, let in-flight replies drain for up to <paramref name="Drain"/>, send close_notify and close.</summary>
    public sealed record Shutdown(TimeSpan Drain);

    /// <summary>Event to the listener: the session finished its handshake (it no longer counts as handshaking).</summary>
    public sealed record Established(long SessionNumber, string? Fingerprint);

    /// <summary>Timer: the handshake deadline passed.</summary>
    public sealed class HandshakeTimedOut
    {
        public static readonly HandshakeTimedOut Instance = new();

        private HandshakeTimedOut()
        {
        }
    }

    /// <summary>Timer: the crypto reply with <paramref name="CorrelationId"/> is overdue.</summary>
    public sealed record CryptoTimedOut(long CorrelationId);

    /// <summary>Timer: time to check for idleness.</summary>
    public sealed class IdleCheck
    {
        public static readonly IdleCheck Instance = new();

        private IdleCheck()
        {
        }
    }

    /// <summary>Timer: the drain time or the wait for the peer's close_notify is over.</summary>
    public sealed class CloseTimedOut
    {
        public static readonly CloseTimedOut Instance = new();

        private CloseTimedOut()
        {
        }
    }

    /// <summary>
    /// To itself: write out the replies sealed since the last flush. Queued behind the replies already
    /// waiting in the mailbox, so a burst of pipelined replies leaves in one socket write. The session may
    /// close before it arrives (the close flushes too), so losing it then is expected and not logged.
    /// </summary>
    public sealed class FlushOutput : SecureActors.Actors.Event.IDeadLetterSuppression
    {
        public static readonly FlushOutput Instance = new();

        private FlushOutput()
        {
        }
    }
}
