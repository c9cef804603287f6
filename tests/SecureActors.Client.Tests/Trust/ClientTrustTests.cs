using SecureActors.Client.Load;
using SecureActors.Client.Tests.Load;
using SecureActors.Client.Tests.Support;
using SecureActors.Protocol.Identity;

namespace SecureActors.Client.Tests.Trust;

public sealed class ClientTrustTests
{
    [Fact]
    public async Task ConnectAsync_AcceptNewAndUnknownHost_RecordsKeyAndTrustsItNextTime()
    {
        using var dir = new TempDirectory();
        await using var server = new TestServer(TestKeys.Server);
        var options = KnownHosts(server.Port, dir.File("known_hosts"), HostKeyCheckMode.AcceptNew);

        await using (var first = await SecureClient.ConnectAsync(options))
        {
            Assert.Contains("recorded", first.TrustMessage, StringComparison.Ordinal);
        }

        await using var second = await SecureClient.ConnectAsync(options with { KnownHostsMode = HostKeyCheckMode.Strict });

        Assert.Contains("matches", second.TrustMessage, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(dir.File("known_hosts")));
        Assert.StartsWith($"127.0.0.1:{server.Port} sap-rsa ", File.ReadAllText(dir.File("known_hosts")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_StrictAndUnknownHost_ThrowsNotTrustedAndLeavesFileAlone()
    {
        using var dir = new TempDirectory();
        await using var server = new TestServer(TestKeys.Server);
        var options = KnownHosts(server.Port, dir.File("known_hosts"), HostKeyCheckMode.Strict);

        var error = await Assert.ThrowsAsync<ServerNotTrustedException>(() => SecureClient.ConnectAsync(options));

        Assert.IsNotType<ServerKeyChangedException>(error);
        Assert.Equal(server.Fingerprint, error.ServerFingerprint);
        Assert.False(File.Exists(dir.File("known_hosts")));
        Assert.Equal(0, server.HandshakesCompleted);
    }

    [Fact]
    public async Task ConnectAsync_RecordedKeyDiffers_ThrowsKeyChangedWithOldAndNewFingerprints()
    {
        using var dir = new TempDirectory();
        var path = dir.File("known_hosts");
        await using (var original = new TestServer(TestKeys.OtherServer))
        {
            await using var first = await SecureClient.ConnectAsync(KnownHosts(original.Port, path, HostKeyCheckMode.AcceptNew));
            await using var impostor = new TestServer(TestKeys.Server);
            // The impostor answers on another port; record the original key for that port too.
            await File.AppendAllTextAsync(path, File.ReadAllText(path).Replace($":{original.Port} ", $":{impostor.Port} ", StringComparison.Ordinal));

            var error = await Assert.ThrowsAsync<ServerKeyChangedException>(
                () => SecureClient.ConnectAsync(KnownHosts(impostor.Port, path, HostKeyCheckMode.AcceptNew)));

            Assert.Equal(TestKeys.OtherServer.Fingerprint, error.ExpectedFingerprint);
            Assert.Equal(TestKeys.Server.Fingerprint, error.ActualFingerprint);
            Assert.Equal($"127.0.0.1:{impostor.Port}", error.Host);
            Assert.Contains("CHANGED", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ConnectAsync_MalformedKnownHostsFile_ThrowsNamingTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("known_hosts");
        await File.WriteAllLinesAsync(path, ["# comment", "not a known_hosts line"]);

        var error = await Assert.ThrowsAsync<SecureClientException>(
            () => SecureClient.ConnectAsync(KnownHosts(1, path, HostKeyCheckMode.Strict)));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ManySessionsMeetANewServer_RecordItOnce()
    {
        using var dir = new TempDirectory();
        var path = dir.File("known_hosts");
        await using var server = new TestServer(TestKeys.Server);
        using var runner = new LoadRunner(KnownHosts(server.Port, path, HostKeyCheckMode.AcceptNew), LoadRunnerTests.Settings() with { Connections = 30, MessagesPerConnection = 1 });

        var report = await runner.RunAsync();

        Assert.True(report.Clean);
        Assert.Single(await File.ReadAllLinesAsync(path));
    }

    private static SecureClientOptions KnownHosts(int port, string path, HostKeyCheckMode mode) =>
        ClientFactory.Pinned(port, "unused") with { ServerFingerprint = null, KnownHostsPath = path, KnownHostsMode = mode };
}
