using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;

namespace SecureActors.Protocol.Tests.TestSupport;

/// <summary>Runs a client and a server handshake against each other in memory.</summary>
internal static class Loopback
{
    public static (Endpoint Client, Endpoint Server) Run(ClientHandshake client, ServerHandshake server, int chunkSize = int.MaxValue, Func<byte[], byte[]>? clientToServer = null, Func<byte[], byte[]>? serverToClient = null)
    {
        var c = new Endpoint(client, expectsPrologue: false);
        var s = new Endpoint(server, expectsPrologue: true);
        c.Record(client.Start());
        for (var round = 0; round < 50 && !(c.Done && s.Done); round++)
        {
            var toServer = c.TakeOutbox();
            if (clientToServer is not null && toServer.Length > 0)
            {
                toServer = clientToServer(toServer);
            }

            foreach (var chunk in Segments.Split(toServer, Math.Min(chunkSize, Math.Max(1, toServer.Length))))
            {
                if (!s.Done)
                {
                    s.Deliver(chunk);
                }
            }

            var toClient = s.TakeOutbox();
            if (serverToClient is not null && toClient.Length > 0)
            {
                toClient = serverToClient(toClient);
            }

            foreach (var chunk in Segments.Split(toClient, Math.Min(chunkSize, Math.Max(1, toClient.Length))))
            {
                if (!c.Done || c.Last?.Status == HandshakeStatus.Complete)
                {
                    c.Deliver(chunk);
                }
            }

            if (toServer.Length == 0 && toClient.Length == 0 && c.Outbox.Count == 0 && s.Outbox.Count == 0)
            {
                break;
            }
        }

        return (c, s);
    }

    public static ProtocolOptions Options => ProtocolOptions.Default;

    public static ServerHandshake Server(ProtocolOptions? options = null, LocalIdentity? identity = null, IClientAuthorizer? authorizer = null) =>
        new(options ?? Options, identity ?? TestKeys.Server, authorizer);

    public static ClientHandshake Client(ProtocolOptions? options = null, IServerTrust? trust = null, LocalIdentity? identity = null) =>
        new(options ?? Options, trust ?? new PinnedServerTrust(TestKeys.Server.Fingerprint), identity);
}
