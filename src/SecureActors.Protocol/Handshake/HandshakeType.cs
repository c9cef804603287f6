namespace SecureActors.Protocol.Handshake;

/// <summary>Handshake message types (TLS numbers where a TLS message plays the same role).</summary>
internal enum HandshakeType : byte
{
    ClientHello = 1,
    ServerHello = 2,
    HelloRetryRequest = 6,
    ServerParams = 8,
    Identity = 11,
    Signature = 15,
    Finished = 20,
    KeyUpdate = 24,
}
