using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Handshake;

/// <summary>
/// Full in-memory handshakes with the client's first flight (magic ‖ ClientHello) and the server's
/// first flight (ServerHello ‖ protected flight) each cut into two segments at every possible
/// byte: the framing and the machines must not care where TCP splits the stream.
/// </summary>
public sealed class HandshakeFlightSplitTests
{
    [Fact]
    public void Handshake_ClientHelloFlightSplitInTwoAtEveryByte_Establishes()
    {
        var length = Run(null, null).ClientFlightLength;

        for (var cut = 1; cut < length; cut++)
        {
            var outcome = Run(cut, null);

            Assert.True(outcome.Established, $"client flight cut at {cut} of {length}: {outcome.Describe}");
        }
    }

    [Fact]
    public void Handshake_ServerFirstFlightSplitInTwoAtEveryByte_Establishes()
    {
        var length = Run(null, null).ServerFlightLength;

        for (var cut = 1; cut < length; cut++)
        {
            var outcome = Run(null, cut);

            Assert.True(outcome.Established, $"server flight cut at {cut} of {length}: {outcome.Describe}");
        }
    }

    private sealed record Outcome(bool Established, int ClientFlightLength, int ServerFlightLength, string Describe);

    private static Outcome Run(int? clientCut, int? serverCut)
    {
        using var client = Loopback.Client();
        using var server = Loopback.Server();
        var c = new Endpoint(client, expectsPrologue: false);
        var s = new Endpoint(server, expectsPrologue: true);

        c.Record(client.Start());
        var clientFlight = c.TakeOutbox();
        foreach (var chunk in Cut(clientFlight, clientCut))
        {
            s.Deliver(chunk);
        }

        var serverFlight = s.TakeOutbox();
        foreach (var chunk in Cut(serverFlight, serverCut))
        {
            c.Deliver(chunk);
        }

        s.Deliver(c.TakeOutbox());
        var established = c.Last is { Status: HandshakeStatus.Complete } && s.Last is { Status: HandshakeStatus.Complete }
            && c.Last.Result!.SessionId == s.Last.Result!.SessionId;
        return new Outcome(established, clientFlight.Length, serverFlight.Length, $"client {c.Last?.Status} {c.Last?.Failure}, server {s.Last?.Status} {s.Last?.Failure ?? s.FramingFailure}");
    }

    private static byte[][] Cut(byte[] bytes, int? at) =>
        at is { } k ? [bytes[..k], bytes[k..]] : [bytes];
}
