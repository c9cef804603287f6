namespace SecureActors.Protocol.Handshake;

/// <summary>
/// RFC 8446 §4.1.3-style downgrade protection: a server that picks a version below its own maximum
/// writes these 8 bytes into server_random[24..32]; the signature covers the random, so a
/// man-in-the-middle who stripped the higher versions from the ClientHello is caught.
/// </summary>
internal static class DowngradeSentinel
{
    public static ReadOnlySpan<byte> Value => "SAPDGRD\u0001"u8;

    public const int Offset = 24;
}
