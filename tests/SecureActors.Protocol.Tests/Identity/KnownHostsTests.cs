using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Identity;

public sealed class KnownHostsTests
{
    private static string Line(string endpoint, LocalIdentity key) => $"{endpoint} sap-rsa {Convert.ToBase64String(key.Spki.Span)}";

    [Fact]
    public void AcceptNew_UnknownHost_RecordsAndTrusts()
    {
        using var dir = new TempDirectory();
        var store = KnownHosts.Load(dir.File("known_hosts"));

        var decision = store.For("127.0.0.1", 8820, HostKeyCheckMode.AcceptNew).Evaluate(new PeerIdentity(TestKeys.Server.Spki));

        Assert.True(decision.Trusted);
        Assert.Equal(Line("127.0.0.1:8820", TestKeys.Server), File.ReadAllText(dir.File("known_hosts")).Trim());
        Assert.Equal(TestKeys.Server.Fingerprint, KnownHosts.Load(dir.File("known_hosts")).Find("127.0.0.1", 8820)!.Fingerprint);
    }

    [Fact]
    public void Strict_UnknownHost_Rejected()
    {
        using var dir = new TempDirectory();
        var store = KnownHosts.Load(dir.File("known_hosts"));

        var decision = store.For("example", 1, HostKeyCheckMode.Strict).Evaluate(new PeerIdentity(TestKeys.Server.Spki));

        Assert.False(decision.Trusted);
        Assert.False(File.Exists(dir.File("known_hosts")));
    }

    [Theory]
    [InlineData(HostKeyCheckMode.Strict)]
    [InlineData(HostKeyCheckMode.AcceptNew)]
    public void AnyMode_ChangedKey_RejectedShowingBothFingerprints(HostKeyCheckMode mode)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("known_hosts"), "# pins\n\n" + Line("h:1", TestKeys.Server) + "\n");
        var store = KnownHosts.Load(dir.File("known_hosts"));

        var decision = store.For("h", 1, mode).Evaluate(new PeerIdentity(TestKeys.Other.Spki));

        Assert.False(decision.Trusted);
        Assert.Contains(TestKeys.Server.Fingerprint, decision.Message, StringComparison.Ordinal);
        Assert.Contains(TestKeys.Other.Fingerprint, decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadLine_ErrorNamesFileAndLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("known_hosts"), Line("h:1", TestKeys.Server) + "\nh:2 ssh-rsa AAAA\n");

        var ex = Assert.Throws<KeyFileException>(() => KnownHosts.Load(dir.File("known_hosts")));

        Assert.StartsWith(dir.File("known_hosts") + ":2:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handshake_PinMismatch_ClientAbortsWithBadCertificateBeforeSendingData()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("known_hosts"), Line("srv:9", TestKeys.Other) + "\n");
        var trust = KnownHosts.Load(dir.File("known_hosts")).For("srv", 9, HostKeyCheckMode.AcceptNew);
        using var client = Loopback.Client(trust: trust);
        using var server = Loopback.Server();

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(HandshakeStatus.Failed, c.Last!.Status);
        Assert.Equal(AlertDescription.BadCertificate, c.Last.Failure!.Alert);
        Assert.Contains(TestKeys.Other.Fingerprint, c.Last.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(AlertDescription.BadCertificate, s.Last!.Failure!.Alert);
        Assert.True(s.Last.Failure.ReceivedFromPeer);
    }

    [Fact]
    public void Handshake_StrictUnknownHost_ClientAbortsWithBadCertificate()
    {
        using var dir = new TempDirectory();
        var trust = KnownHosts.Load(dir.File("known_hosts")).For("srv", 9, HostKeyCheckMode.Strict);
        using var client = Loopback.Client(trust: trust);
        using var server = Loopback.Server();

        var (c, _) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.BadCertificate, c.Last!.Failure!.Alert);
    }
}
