using System.Text;
using SecureActors.Client.Tests.Support;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;

namespace SecureActors.Client.Tests;

public sealed class SecureClientTests
{
    [Fact]
    public async Task ConnectAsync_EchoServer_NegotiatesAndEchoes()
    {
        await using var server = new TestServer(TestKeys.Server);
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));

        var reply = await client.SendAsync("hello");

        Assert.Equal("hello", reply);
        Assert.Equal(server.Fingerprint, client.ServerFingerprint);
        Assert.Equal(CipherSuite.Aes128GcmSha256, client.Suite);
        Assert.Equal(NamedGroup.Secp256r1, client.Group);
        Assert.Equal(32, client.SessionId.Length);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task SendAsync_ManyConcurrentRequests_EachGetsItsOwnReply()
    {
        await using var server = new TestServer(TestKeys.Server);
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));

        var replies = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => client.SendAsync($"message {i}")));

        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"message {i}"), replies);
        Assert.Equal(0, client.OutstandingRequests);
    }

    [Fact]
    public async Task SendAsync_MessageLargerThanOneRecord_IsReassembled()
    {
        await using var server = new TestServer(TestKeys.Server);
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));
        var payload = new byte[200_000];
        new Random(7).NextBytes(payload);

        var reply = await client.SendAsync(payload);

        Assert.True(reply.Span.SequenceEqual(payload));
    }

    [Fact]
    public async Task SendAsync_PayloadAboveServerMaximum_ThrowsArgumentException()
    {
        await using var server = new TestServer(TestKeys.Server, ProtocolOptions.Default with { MaxMessageSize = 1000 });
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(new byte[1001]));
        Assert.Equal("still usable", await client.SendAsync("still usable"));
    }

    [Fact]
    public async Task PushedMessages_ServerPushes_ArriveInOrder()
    {
        await using var server = new TestServer(TestKeys.Server) { PushesAfterHandshake = 3 };
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var pushes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            pushes.Add(Encoding.UTF8.GetString((await client.PushedMessages.ReadAsync(timeout.Token)).Span));
        }

        Assert.Equal(["push-1", "push-2", "push-3"], pushes);
    }

    [Fact]
    public async Task CloseAsync_ServerAnswersCloseNotify_EndsCleanly()
    {
        await using var server = new TestServer(TestKeys.Server);
        var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));
        await client.SendAsync("before close");

        await client.CloseAsync();

        Assert.False(client.IsConnected);
        Assert.Equal(1, server.CloseNotifiesReceived);
        Assert.True(client.Completion.IsCompleted);
        var after = await Assert.ThrowsAsync<SecureClientException>(() => client.SendAsync("after close"));
        Assert.Contains("ended", after.Message, StringComparison.Ordinal);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task CloseAsync_RequestsOutstanding_WaitsForTheirReplies()
    {
        await using var server = new TestServer(TestKeys.Server);
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));

        var inFlight = Enumerable.Range(0, 50).Select(i => client.SendAsync($"m{i}")).ToArray();
        await client.CloseAsync();

        Assert.All(inFlight, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal("m49", await inFlight[49]);
    }

    [Fact]
    public async Task SendAsync_ServerClosesSession_ClientEndsCleanlyAndFailsLaterSends()
    {
        await using var server = new TestServer(TestKeys.Server) { Behavior = TestServerBehavior.CloseOnRequest };
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));

        var error = await Assert.ThrowsAsync<SecureClientConnectionException>(() => client.SendAsync("x"));
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("server closed the session", error.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
        await client.CloseAsync();
    }

    [Fact]
    public async Task SendAsync_ServerSendsAlert_ThrowsWithThatAlert()
    {
        await using var server = new TestServer(TestKeys.Server) { Behavior = TestServerBehavior.AlertOnRequest };
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));

        var error = await Assert.ThrowsAsync<SecureClientException>(() => client.SendAsync("x"));

        Assert.Equal(AlertDescription.InternalError, error.Alert);
        Assert.True(error.ReceivedFromServer);
    }

    [Fact]
    public async Task SendAsync_ServerDropsConnection_ThrowsTruncatedConnectionError()
    {
        await using var server = new TestServer(TestKeys.Server) { Behavior = TestServerBehavior.DropOnRequest };
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));

        var error = await Assert.ThrowsAsync<SecureClientConnectionException>(() => client.SendAsync("x"));

        Assert.Null(error.Alert);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task SendAsync_ServerNeverReplies_ThrowsTimeout()
    {
        await using var server = new TestServer(TestKeys.Server) { Behavior = TestServerBehavior.NeverReply };
        var options = ClientFactory.Pinned(server) with { RequestTimeout = TimeSpan.FromMilliseconds(200) };
        await using var client = await SecureClient.ConnectAsync(options);

        var error = await Assert.ThrowsAsync<SecureClientTimeoutException>(() => client.SendAsync("x"));

        Assert.Contains("request", error.Message, StringComparison.Ordinal);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsConnectionException()
    {
        var port = ClientFactory.UnusedPort();

        var error = await Assert.ThrowsAsync<SecureClientConnectionException>(
            () => SecureClient.ConnectAsync(ClientFactory.Pinned(port, "SHA256:unused")));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ServerNeverAnswers_ThrowsHandshakeTimeout()
    {
        await using var server = new TestServer(TestKeys.Server) { SilentBeforeHandshake = true };
        var options = ClientFactory.Pinned(server) with { HandshakeTimeout = TimeSpan.FromMilliseconds(300) };

        var error = await Assert.ThrowsAsync<SecureClientTimeoutException>(() => SecureClient.ConnectAsync(options));

        Assert.Equal("handshake", error.Operation);
    }

    [Fact]
    public async Task ConnectAsync_PinnedFingerprintDiffers_ThrowsKeyChangedWithBothFingerprints()
    {
        await using var server = new TestServer(TestKeys.Server);
        var options = ClientFactory.Pinned(server.Port, TestKeys.OtherServer.Fingerprint);

        var error = await Assert.ThrowsAsync<ServerKeyChangedException>(() => SecureClient.ConnectAsync(options));

        Assert.Equal(TestKeys.OtherServer.Fingerprint, error.ExpectedFingerprint);
        Assert.Equal(TestKeys.Server.Fingerprint, error.ActualFingerprint);
        Assert.Equal(AlertDescription.BadCertificate, error.Alert);
        Assert.Contains(TestKeys.Server.Fingerprint, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestsReceived);
    }

    [Fact]
    public async Task SendAsync_ClientAuthRequiredAndNoIdentity_ThrowsCertificateRequired()
    {
        // As in TLS 1.3, the client's flight ends its handshake; the server's verdict is the next record.
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Required };
        await using var server = new TestServer(TestKeys.Server, options, new AllowOnly(TestKeys.Client.Fingerprint));
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));

        var error = await Assert.ThrowsAsync<SecureClientException>(() => client.SendAsync("x"));

        Assert.Equal(AlertDescription.CertificateRequired, error.Alert);
        Assert.True(error.ReceivedFromServer);
    }

    [Fact]
    public async Task ConnectAsync_ClientAuthRequiredAndAuthorisedIdentity_Succeeds()
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Required };
        await using var server = new TestServer(TestKeys.Server, options, new AllowOnly(TestKeys.Client.Fingerprint));
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server) with { Identity = TestKeys.Client });

        Assert.Equal("authenticated", await client.SendAsync("authenticated"));
    }

    [Fact]
    public async Task SendAsync_IdentityNotAuthorised_ThrowsAccessDenied()
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Required };
        await using var server = new TestServer(TestKeys.Server, options, new AllowOnly("SHA256:someone-else"));
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server) with { Identity = TestKeys.Client });

        var error = await Assert.ThrowsAsync<SecureClientException>(() => client.SendAsync("x"));

        Assert.Equal(AlertDescription.AccessDenied, error.Alert);
    }

    [Fact]
    public async Task ConnectAsync_IdentityKeyFile_IsLoadedAndUsed()
    {
        using var dir = new TempDirectory();
        var keyPath = dir.WriteFile("client.pem", TestKeys.Client.ExportPkcs8Pem());
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Required };
        await using var server = new TestServer(TestKeys.Server, options, new AllowOnly(TestKeys.Client.Fingerprint));

        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server) with { IdentityKeyPath = keyPath });

        Assert.Equal("from file", await client.SendAsync("from file"));
    }

    [Fact]
    public async Task ConnectAsync_IdentityKeyFileReadableByOthers_ThrowsBeforeConnecting()
    {
        using var dir = new TempDirectory();
        // The protocol library's key-file check applies to Unix file modes (CI runs on Linux).
        var keyPath = dir.WriteFile("client.pem", TestKeys.Client.ExportPkcs8Pem(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        await using var server = new TestServer(TestKeys.Server);

        var error = await Assert.ThrowsAsync<SecureClientException>(
            () => SecureClient.ConnectAsync(ClientFactory.Pinned(server) with { IdentityKeyPath = keyPath }));

        Assert.Contains("client.pem", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.HandshakesCompleted);
    }

    [Fact]
    public async Task ConnectAsync_NoCommonSuite_ThrowsHandshakeFailure()
    {
        await using var server = new TestServer(TestKeys.Server, ProtocolOptions.Default with { CipherSuites = [CipherSuite.ChaCha20Poly1305Sha256] });
        var options = ClientFactory.Pinned(server) with { Suites = [CipherSuite.Aes128GcmSha256] };

        var error = await Assert.ThrowsAsync<SecureClientException>(() => SecureClient.ConnectAsync(options));

        Assert.Equal(AlertDescription.HandshakeFailure, error.Alert);
        Assert.True(error.ReceivedFromServer);
    }

    [Fact]
    public async Task ConnectAsync_ServerPrefersGroupWithoutShare_CompletesAfterRetry()
    {
        await using var server = new TestServer(TestKeys.Server, ProtocolOptions.Default with { Groups = [NamedGroup.Secp384r1] });
        await using var client = await SecureClient.ConnectAsync(ClientFactory.Pinned(server));

        Assert.Equal(NamedGroup.Secp384r1, client.Group);
        Assert.Equal("p384", await client.SendAsync("p384"));
    }
}
