using SecureActors.Hocon;

namespace SecureActors.Server.Transport;

/// <summary><c>server.transport</c>: socket loop tuning.</summary>
internal sealed record TransportSettings(int ReceiveBuffer, int MaxWriteBatch)
{
    public static TransportSettings FromConfig(SettingsSection transport) => new(
        (int)transport.ByteSize("receive-buffer", 1024, 64 * 1024 * 1024),
        (int)transport.ByteSize("max-write-batch", 1024, 64 * 1024 * 1024));
}
