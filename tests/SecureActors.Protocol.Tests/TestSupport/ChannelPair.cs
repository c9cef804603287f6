using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Records;

namespace SecureActors.Protocol.Tests.TestSupport;

/// <summary>A client and a server channel keyed from fixed secrets, without a handshake.</summary>
internal static class ChannelPair
{
    public static readonly byte[] ClientSecret = Enumerable.Range(0, 48).Select(i => (byte)i).ToArray();
    public static readonly byte[] ServerSecret = Enumerable.Range(100, 48).Select(i => (byte)i).ToArray();

    public static (SecureChannel Client, SecureChannel Server) Create(
        CipherSuite suite = CipherSuite.Aes128GcmSha256,
        ProtocolOptions? clientOptions = null,
        ProtocolOptions? serverOptions = null,
        bool messageSignatures = false,
        bool messageBatching = false)
    {
        var h = suite == CipherSuite.Aes256GcmSha384 ? 48 : 32;
        var co = clientOptions ?? ProtocolOptions.Default;
        var so = serverOptions ?? ProtocolOptions.Default;
        var client = new SecureChannel(ChannelRole.Client, RecordSealer.Create(suite, ClientSecret.AsSpan(0, h)), RecordOpener.Create(suite, ServerSecret.AsSpan(0, h)), co, so.MaxMessageSize, messageSignatures, messageBatching);
        var server = new SecureChannel(ChannelRole.Server, RecordSealer.Create(suite, ServerSecret.AsSpan(0, h)), RecordOpener.Create(suite, ClientSecret.AsSpan(0, h)), so, co.MaxMessageSize, messageSignatures, messageBatching);
        return (client, server);
    }
}
