using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;

namespace SecureActors.Benchmarks.Protocol;

/// <summary>Builds an established channel pair through a real in-memory handshake.</summary>
internal static class ChannelFactory
{
    private static readonly Lazy<LocalIdentity> Identity = new(() => LocalIdentity.Generate(2048));

    public static (SecureChannel Client, SecureChannel Server) Pair(CipherSuite suite)
    {
        // Effectively no KeyUpdate during a benchmark run: the steady state is what is measured.
        var options = ProtocolOptions.Default with { CipherSuites = [suite], KeyUpdateAfterRecords = long.MaxValue, KeyUpdateAfterBytes = long.MaxValue };
        using var client = new ClientHandshake(options, new PinnedServerTrust(Identity.Value.Fingerprint));
        using var server = new ServerHandshake(options, Identity.Value);
        var c = client.RunInline(client.Start());
        var toServer = Frames(c.Output.ToArray().AsSpan(8).ToArray());
        HandshakeStep s = null!;
        foreach (var frame in toServer)
        {
            s = server.RunInline(server.Feed(frame));
        }

        foreach (var frame in Frames(s.Output.ToArray()))
        {
            c = client.RunInline(client.Feed(frame));
        }

        foreach (var frame in Frames(c.Output.ToArray()))
        {
            s = server.RunInline(server.Feed(frame));
        }

        return (c.Result!.Channel, s.Result!.Channel);
    }

    internal static List<SecureActors.Protocol.Framing.Frame> Frames(byte[] wire)
    {
        var list = new List<SecureActors.Protocol.Framing.Frame>();
        var input = new System.Buffers.ReadOnlySequence<byte>(wire);
        while (SecureActors.Protocol.Framing.FrameReader.TryRead(input, out var consumed, out _, out var frame, out _) == SecureActors.Protocol.Framing.FrameReadStatus.Complete)
        {
            list.Add(frame.ToOwned());
            input = input.Slice(consumed);
        }

        return list;
    }
}
