using System.Text;
using SecureActors.Client.Interactive;
using SecureActors.Client.Load;
using SecureActors.Client.Tests.Load;
using SecureActors.Client.Tests.Support;
using SecureActors.Hocon;
using SecureActors.Protocol;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using SecureActors.Server.Hosting;

namespace SecureActors.Client.Tests;

/// <summary>The client's half of per-message signatures (PROTOCOL.md §12).</summary>
public sealed class MessageSignatureClientTests
{
    private static SecureClientOptions Signing(int port, string fingerprint) =>
        ClientFactory.Pinned(port, fingerprint) with { Identity = TestKeys.Client, MessageSignatures = true };

    private static SecureClientOptions Signing(SigningTestServer server) => Signing(server.Port, server.Fingerprint);

    [Fact]
    public void Options_ReferenceConf_SignaturesOffAndKeyBinds()
    {
        var config = ConfigFactory.Load(null, [SecureClientOptions.ReferenceConfig], ["client.message-signatures = on", "client.identity-key = \"/keys/me.pem\""]);

        var options = SecureClientOptions.FromConfig(config);

        Assert.False(SecureClientOptions.Default.MessageSignatures);
        Assert.True(options.MessageSignatures);
        Assert.True(options.ToProtocolOptions().MessageSignatures);
    }

    [Fact]
    public async Task Options_SignaturesWithoutAClientKey_AreAConfigurationErrorBeforeConnecting()
    {
        var options = ClientFactory.Pinned(1, "SHA256:x") with { MessageSignatures = true };

        var error = Assert.Throws<ArgumentException>(() => options.ToProtocolOptions());
        await Assert.ThrowsAsync<ArgumentException>(() => SecureClient.ConnectAsync(options));

        Assert.Contains("client.message-signatures", error.Message, StringComparison.Ordinal);
        Assert.Contains("client.identity-key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_BothEnable_RequestsAreSignedAndRepliesDeliveredWithoutTheirBlock()
    {
        await using var server = new SigningTestServer(TestKeys.Server);
        await using var client = await SecureClient.ConnectAsync(Signing(server));

        var replies = await Task.WhenAll(client.SendAsync("one"), client.SendAsync("two"), client.SendAsync("three"));

        Assert.True(client.MessageSignatures);
        Assert.Equal(["echo: one", "echo: two", "echo: three"], replies);
        Assert.Equal([(true, true, "one"), (true, true, "two"), (true, true, "three")], server.Requests);
        await client.CloseAsync();
    }

    [Fact]
    public async Task SendAsync_ServerNeverAskedForTheClientKey_RequestsGoUnsignedRepliesStillChecked()
    {
        // A server (not ours: ours refuses this configuration) that signs but does not authenticate
        // clients cannot check a client signature, so §12 forbids the client to sign.
        await using var server = new SigningTestServer(TestKeys.Server, clientAuth: ClientAuthPolicy.None);
        await using var client = await SecureClient.ConnectAsync(Signing(server));

        var reply = await client.SendAsync("hello");

        Assert.True(client.MessageSignatures);
        Assert.Equal("echo: hello", reply);
        Assert.Equal([(false, false, "hello")], server.Requests);
        await client.CloseAsync();
    }

    [Fact]
    public async Task SendAsync_ServerNeverAskedForTheClientKey_BadReplySignatureStillRejected()
    {
        await using var server = new SigningTestServer(TestKeys.Server, ReplySignature.Tampered, clientAuth: ClientAuthPolicy.None);
        await using var client = await SecureClient.ConnectAsync(Signing(server));

        await Assert.ThrowsAsync<MessageSignatureException>(() => client.SendAsync("hello"));
    }

    [Fact]
    public async Task PushedMessages_SignedPushes_ArriveVerifiedWithoutTheirBlock()
    {
        await using var server = new SigningTestServer(TestKeys.Server) { PushBeforeEachReply = true };
        await using var client = await SecureClient.ConnectAsync(Signing(server));

        Assert.Equal("echo: hi", await client.SendAsync("hi"));
        var pushed = await client.PushedMessages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("push: hi", Encoding.UTF8.GetString(pushed.Span));
    }

    [Theory]
    [InlineData(ReplySignature.Unsigned, AlertDescription.IllegalParameter)]
    [InlineData(ReplySignature.Malformed, AlertDescription.DecodeError)]
    [InlineData(ReplySignature.Tampered, AlertDescription.DecryptError)]
    [InlineData(ReplySignature.WrongRoom, AlertDescription.DecryptError)]
    [InlineData(ReplySignature.WrongKey, AlertDescription.DecryptError)]
    public async Task SendAsync_ReplyFailsItsSignatureCheck_TypedErrorAndTheAlertReachesTheServer(ReplySignature replies, AlertDescription alert)
    {
        await using var server = new SigningTestServer(TestKeys.Server, replies);
        await using var client = await SecureClient.ConnectAsync(Signing(server));

        var error = await Assert.ThrowsAsync<MessageSignatureException>(() => client.SendAsync("x"));

        Assert.Equal(alert, error.Alert);
        Assert.False(error.ReceivedFromServer);
        Assert.Contains("reply 1", error.Message, StringComparison.Ordinal);
        Assert.Same(error, client.TerminationReason);
        await WaitForAlertAsync(server, alert);
    }

    [Fact]
    public async Task SendAsync_ReplyCounterRepeats_IllegalParameterOnTheSecondReply()
    {
        await using var server = new SigningTestServer(TestKeys.Server, ReplySignature.RepeatedCounter);
        await using var client = await SecureClient.ConnectAsync(Signing(server));

        Assert.Equal("echo: first", await client.SendAsync("first"));
        var error = await Assert.ThrowsAsync<MessageSignatureException>(() => client.SendAsync("second"));

        Assert.Equal(AlertDescription.IllegalParameter, error.Alert);
        Assert.Contains("counter 1 does not increase", error.Message, StringComparison.Ordinal);
        await WaitForAlertAsync(server, AlertDescription.IllegalParameter);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task ConnectAsync_OnlyOneSideEnables_NothingIsSigned(bool clientAsks, bool serverEnables)
    {
        await using var server = new SigningTestServer(TestKeys.Server, enableSignatures: serverEnables);
        await using var client = await SecureClient.ConnectAsync(Signing(server) with { MessageSignatures = clientAsks });

        Assert.Equal("echo: plain", await client.SendAsync("plain"));

        Assert.False(client.MessageSignatures);
        Assert.Equal((false, false, "plain"), Assert.Single(server.Requests));
    }

    [Fact]
    public async Task SendAsync_SignedRequestOverTheServersLimit_RejectedBeforeSigning()
    {
        await using var server = new SigningTestServer(TestKeys.Server);
        await using var client = await SecureClient.ConnectAsync(Signing(server));

        Assert.Equal((1 << 20) - MessageSignature.BlockLength(2048), client.MaxRequestSize);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(new byte[client.MaxRequestSize + 1]));

        Assert.Contains("signature block", error.Message, StringComparison.Ordinal);
        Assert.Equal("echo: still fine", await client.SendAsync("still fine"));
    }

    [Fact]
    public async Task Interactive_SignaturesInUse_SaysSoAndPrintsVerifiedReplies()
    {
        await using var server = new SigningTestServer(TestKeys.Server);
        using var output = new StringWriter();
        var session = new InteractiveSession(Signing(server), InteractiveSettings.FromConfig(SecureClientOptions.ReferenceConfig), new StringReader("hello\nEXIT\n"), output);

        var exitCode = await session.RunAsync(CancellationToken.None);
        var lines = output.ToString().Split(Environment.NewLine);

        Assert.Equal(0, exitCode);
        Assert.Contains(lines, l => l.StartsWith("[+] session ", StringComparison.Ordinal) && l.Contains("every message signed", StringComparison.Ordinal));
        Assert.Contains("echo: hello", lines);
    }

    [Fact]
    public async Task Load_AgainstTheRealServerWithSignatures_VerifiesEveryEchoByItsApplicationBytes()
    {
        var authorized = AuthorizedClients.Parse([$"sap-rsa {Convert.ToBase64String(TestKeys.Client.Spki.Span)} load"], "test");
        var config = ConfigFactory.ParseString("""
            server { host = "127.0.0.1", port = 0, stats.enabled = off }
            server.client-auth.policy = required
            server.protocol.message-signatures = on
            """, "client-tests");
        await using var server = await SecureServer.StartAsync(config, new SecureServerOptions { Identity = TestKeys.Server, Authorizer = authorized, Logger = Serilog.Core.Logger.None });
        using var runner = new LoadRunner(Signing(server.Endpoint.Port, server.Fingerprint), LoadRunnerTests.Settings() with { Connections = 4, MessagesPerConnection = 25, Pipeline = 4, Size = 16, SizeMax = 2000 });

        var report = await runner.RunAsync();

        Assert.True(report.Clean, $"messages {report.Messages}, verification {report.Verification}, errors [{string.Join(", ", report.Errors.Select(e => $"{e.Key}={e.Value}"))}]");
        Assert.Equal(100, report.Verification.Ok);
    }

    private static async Task WaitForAlertAsync(SigningTestServer server, AlertDescription alert)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!server.AlertsReceived.Contains(alert))
        {
            await tick.WaitForNextTickAsync(timeout.Token);
        }
    }
}
