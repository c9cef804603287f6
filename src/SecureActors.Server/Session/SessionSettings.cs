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
    public static SessionSettings FromConfig(SettingsSection session) => new(
        session.Duration("handshake-timeout"),
        session.Duration("idle-timeout"),
        session.Duration("close-notify-timeout"),
        session.Duration("crypto-timeout"),
        session.Int("max-in-flight", 1),
        session.ByteSize("outbound-queue-limit", 1024));
}
