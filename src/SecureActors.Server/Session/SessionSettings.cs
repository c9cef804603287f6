using SecureActors.Hocon;

namespace SecureActors.Server.Session;

/// <summary><c>server.session</c>: timers and bounds of one connection.</summary>
internal sealed record SessionSettings(
    TimeSpan HandshakeTimeout,
    TimeSpan IdleTimeout,
    TimeSpan CloseNotifyTimeout,
    TimeSpan CryptoTimeout,
    int MaxInFlight,
    long OutboundQueueLimit)
{
    public static SessionSettings FromConfig(Config session) => new(
        session.GetTimeSpan("handshake-timeout"),
        session.GetTimeSpan("idle-timeout"),
        session.GetTimeSpan("close-notify-timeout"),
        session.GetTimeSpan("crypto-timeout"),
        session.GetInt("max-in-flight"),
        session.GetByteSize("outbound-queue-limit"));
}
