using SecureActors.Hocon;

namespace SecureActors.Server.Transport;

/// <summary><c>server.transport</c>: socket loop tuning.</summary>
internal sealed record TransportSettings(int ReceiveBuffer, int MaxWriteBatch)
{
    public static TransportSettings FromConfig(Config transport) => new(
        checked((int)transport.GetByteSize("receive-buffer")),
        checked((int)transport.GetByteSize("max-write-batch")));
}
