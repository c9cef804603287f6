using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Tests.TestSupport;
using static SecureActors.Protocol.Handshake.HandshakeMessages;

namespace SecureActors.Protocol.Tests.Handshake;

/// <summary>Brief §4 handshake and crypto-validation rows, each asserting the exact alert.</summary>
public sealed class HandshakeNegativeTests
{
    private static ClientHello ValidHello(params KeyShare[] shares)
    {
        using var key = EphemeralKeyPair.Generate(NamedGroup.Secp256r1);
        return new ClientHello(
            new byte[32],
            [1],
            [0x1301],
            [0x0017, 0x0018],
            shares.Length > 0 ? shares : [new KeyShare(0x0017, key.PublicShare.ToArray())],
            [0x0804],
            []);
    }

    /// <summary>Feeds raw handshake-record bodies to a fresh server and returns its final step.</summary>
    private static HandshakeStep FeedServer(ServerHandshake server, params byte[][] recordBodies)
    {
        HandshakeStep? step = null;
        foreach (var body in recordBodies)
        {
            step = server.RunInline(server.Feed(Frame.Create(RecordType.Handshake, body)));
            if (step.Status == HandshakeStatus.Failed)
            {
                break;
            }
        }

        return step!;
    }

    private static void AssertServerAlert(AlertDescription expected, params byte[][] recordBodies)
    {
        using var server = Loopback.Server();

        var step = FeedServer(server, recordBodies);

        Assert.Equal(HandshakeStatus.Failed, step.Status);
        Assert.Equal(expected, step.Failure!.Alert);
        Assert.False(step.Failure.ReceivedFromPeer);
        Assert.Equal(new byte[] { 0x15, 0x00, 0x02, 0x02, (byte)expected }, step.Output.ToArray());
    }

    [Fact]
    public void Server_ZeroLengthHandshakeMessage_DecodeError() =>
        AssertServerAlert(AlertDescription.DecodeError, [1, 0, 0]);

    [Fact]
    public void Server_ClientHelloWithTrailingBytes_DecodeError()
    {
        var hello = ValidHello().Encode();
        var padded = hello.Concat(new byte[] { 0 }).ToArray();
        padded[2] += 1;

        AssertServerAlert(AlertDescription.DecodeError, padded);
    }

    [Fact]
    public void Server_InnerLengthLongerThanRecord_DecodeError()
    {
        var hello = ValidHello().Encode();

        AssertServerAlert(AlertDescription.DecodeError, hello[..^1]);
    }

    [Fact]
    public void Server_ProtectedRecordBeforeClientHello_UnexpectedMessage()
    {
        using var server = Loopback.Server();

        var step = server.Feed(Frame.Create(RecordType.Protected, new byte[30]));

        Assert.Equal(AlertDescription.UnexpectedMessage, step.Failure!.Alert);
    }

    [Fact]
    public void Server_OnlyUnknownVersions_ProtocolVersion() =>
        AssertServerAlert(AlertDescription.ProtocolVersion, (ValidHello() with { Versions = [7, 9] }).Encode());

    [Fact]
    public void Server_OnlyUnknownSuites_HandshakeFailure() =>
        AssertServerAlert(AlertDescription.HandshakeFailure, (ValidHello() with { Suites = [0x1304, 0x00FF] }).Encode());

    [Fact]
    public void Server_NoCommonSignatureScheme_HandshakeFailure() =>
        AssertServerAlert(AlertDescription.HandshakeFailure, (ValidHello() with { SignatureSchemes = [0x0401] }).Encode());

    [Fact]
    public void Server_NoCommonGroup_HandshakeFailure() =>
        AssertServerAlert(AlertDescription.HandshakeFailure, (ValidHello() with { Groups = [0x001D], KeyShares = [] }).Encode());

    [Fact]
    public void Server_ShareNotInGroups_IllegalParameter() =>
        AssertServerAlert(AlertDescription.IllegalParameter, (ValidHello() with { Groups = [0x0018] }).Encode());

    [Fact]
    public void Server_DuplicateShares_IllegalParameter()
    {
        var share = ValidHello().KeyShares[0];

        AssertServerAlert(AlertDescription.IllegalParameter, ValidHello(share, share).Encode());
    }

    [Fact]
    public void Server_DuplicateExtensions_IllegalParameter() =>
        AssertServerAlert(AlertDescription.IllegalParameter, (ValidHello() with { Extensions = [(0x7777, []), (0x7777, [1])] }).Encode());

    [Fact]
    public void Server_DuplicateSuite_IllegalParameter() =>
        AssertServerAlert(AlertDescription.IllegalParameter, (ValidHello() with { Suites = [0x1301, 0x1301] }).Encode());

    [Theory]
    [InlineData(0x0002)] // message_signatures
    [InlineData(0x0003)] // message_batching
    public void Server_FlagExtensionWithContent_DecodeError(int flag) =>
        AssertServerAlert(AlertDescription.DecodeError, (ValidHello() with { Extensions = [((ushort)flag, [1])] }).Encode());

    [Fact]
    public void Server_255Extensions_DecodeErrorAtCap()
    {
        var extensions = Enumerable.Range(0, 255).Select(i => ((ushort)(0x1000 + i), Array.Empty<byte>())).ToList();

        AssertServerAlert(AlertDescription.DecodeError, (ValidHello() with { Extensions = extensions }).Encode());
    }

    [Fact]
    public void Server_HundredShares_DecodeErrorWithoutCrypto()
    {
        var hello = ValidHello();
        var body = new List<byte>();
        body.AddRange(hello.Random);
        body.AddRange(new byte[] { 1, 0, 1, 1, 0x13, 0x01, 1, 0, 0x17, 100 });
        for (var i = 0; i < 100; i++)
        {
            body.AddRange(new byte[] { 0, 0x17, 0, 65 });
            body.AddRange(new byte[65]);
        }

        body.AddRange(new byte[] { 1, 8, 4, 0 });
        var message = new byte[] { 1, (byte)(body.Count >> 8), (byte)body.Count }.Concat(body).ToArray();

        AssertServerAlert(AlertDescription.DecodeError, message);
    }

    [Fact]
    public void Server_DuplicatedClientHello_UnexpectedMessage()
    {
        using var server = Loopback.Server();
        var hello = ValidHello().Encode();

        var step = FeedServer(server, hello, hello);

        Assert.Equal(AlertDescription.UnexpectedMessage, step.Failure!.Alert);
    }

    [Fact]
    public void Server_DataAfterClientHelloInSameRecord_UnexpectedMessage() =>
        AssertServerAlert(AlertDescription.UnexpectedMessage, [.. ValidHello().Encode(), 20, 0, 1, 0]);

    public static TheoryData<string, byte[]> BadShares() => new()
    {
        { "compressed", [0x02, .. new byte[32]] },
        { "64 bytes", [0x04, .. new byte[63]] },
        { "(0,0)", [0x04, .. new byte[64]] },
        { "infinity", [0x00] },
    };

    [Theory]
    [MemberData(nameof(BadShares))]
    public void Server_InvalidP256Share_IllegalParameter(string what, byte[] share)
    {
        Assert.NotEmpty(what);
        AssertServerAlert(AlertDescription.IllegalParameter, ValidHello(new KeyShare(0x0017, share)).Encode());
    }

    [Fact]
    public void Server_SecondHelloWithoutRequestedShare_IllegalParameter()
    {
        using var server = Loopback.Server(ProtocolOptions.Default with { Groups = [NamedGroup.Secp384r1] });
        var hello = ValidHello().Encode();

        var first = FeedServer(server, hello);
        var second = FeedServer(server, hello);

        Assert.Equal(HandshakeStatus.NeedInput, first.Status);
        Assert.Equal((byte)HandshakeType.HelloRetryRequest, first.Output.Span[3]);
        Assert.Equal(AlertDescription.IllegalParameter, second.Failure!.Alert);
    }

    [Fact]
    public void Server_SecondHelloThatChangesSuites_IllegalParameter()
    {
        using var server = Loopback.Server(ProtocolOptions.Default with { Groups = [NamedGroup.Secp384r1] });
        using var p384 = EphemeralKeyPair.Generate(NamedGroup.Secp384r1);
        var hello = ValidHello();
        var second = hello with { Suites = [0x1301, 0x1302], KeyShares = [new KeyShare(0x0018, p384.PublicShare.ToArray())] };

        var step = FeedServer(server, hello.Encode(), second.Encode());

        Assert.Equal(AlertDescription.IllegalParameter, step.Failure!.Alert);
    }

    [Fact]
    public void Client_SecondHelloRetryRequest_UnexpectedMessage()
    {
        using var client = Loopback.Client(ProtocolOptions.Default with { KeyShareGroups = [] });
        client.RunInline(client.Start());
        var hrr = new HelloRetryRequest(1, 0x1301, 0x0017).Encode();

        var first = client.RunInline(client.Feed(Frame.Create(RecordType.Handshake, hrr)));
        var second = client.Feed(Frame.Create(RecordType.Handshake, new HelloRetryRequest(1, 0x1301, 0x0018).Encode()));

        Assert.Equal(HandshakeStatus.NeedInput, first.Status);
        Assert.Equal(AlertDescription.UnexpectedMessage, second.Failure!.Alert);
    }

    [Fact]
    public void Client_ServerHelloWithUnofferedSuite_IllegalParameter()
    {
        using var client = Loopback.Client(ProtocolOptions.Default with { CipherSuites = [CipherSuite.Aes128GcmSha256] });
        client.RunInline(client.Start());
        using var key = EphemeralKeyPair.Generate(NamedGroup.Secp256r1);

        var step = client.Feed(Frame.Create(RecordType.Handshake, new ServerHello(new byte[32], 1, 0x1302, 0x0017, key.PublicShare.ToArray()).Encode()));

        Assert.Equal(AlertDescription.IllegalParameter, step.Failure!.Alert);
    }

    [Fact]
    public void Client_DowngradeSentinelWhileSupportingHigherVersion_IllegalParameter()
    {
        using var client = new ClientHandshake(ProtocolOptions.Default with { Versions = [2, 1] }, new SecureActors.Protocol.Identity.PinnedServerTrust(TestKeys.Server.Fingerprint));
        using var server = new ServerHandshake(ProtocolOptions.Default, TestKeys.Server) { Faults = new ServerFaults { AlwaysSetSentinel = true } };

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.IllegalParameter, c.Last!.Failure!.Alert);
        Assert.Equal(AlertDescription.IllegalParameter, s.Last!.Failure!.Alert);
        Assert.True(s.Last.Failure.ReceivedFromPeer);
    }

    [Fact]
    public void Server_ChoosingBelowItsMaximum_SetsSentinelAndOldClientStillConnects()
    {
        using var client = Loopback.Client();
        using var server = new ServerHandshake(ProtocolOptions.Default with { Versions = [2, 1] }, TestKeys.Server);
        byte[]? serverHello = null;

        var (c, _) = Loopback.Run(client, server, serverToClient: b => { serverHello ??= b; return b; });

        Assert.Equal(HandshakeStatus.Complete, c.Last!.Status);
        Assert.Equal("SAPDGRD\u0001"u8.ToArray(), serverHello!.AsSpan(3 + 3 + 24, 8).ToArray());
    }

    [Fact]
    public void Client_InvalidServerShare_IllegalParameter()
    {
        using var client = Loopback.Client();
        using var server = new ServerHandshake(ProtocolOptions.Default, TestKeys.Server) { Faults = new ServerFaults { ReplaceShare = [0x04, .. new byte[64]] } };

        var (c, _) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.IllegalParameter, c.Last!.Failure!.Alert);
    }

    [Fact]
    public void Client_ServerFinishedBitFlipped_DecryptError()
    {
        using var client = Loopback.Client();
        using var server = new ServerHandshake(ProtocolOptions.Default, TestKeys.Server) { Faults = new ServerFaults { CorruptFinished = true } };

        var (c, s) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.DecryptError, c.Last!.Failure!.Alert);
        Assert.Equal(AlertDescription.DecryptError, s.Last!.Failure!.Alert);
    }

    [Fact]
    public void Client_ServerSignedWithClientContext_DecryptError()
    {
        using var client = Loopback.Client();
        using var server = new ServerHandshake(ProtocolOptions.Default, TestKeys.Server) { Faults = new ServerFaults { SignWithClientContext = true } };

        var (c, _) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.DecryptError, c.Last!.Failure!.Alert);
    }

    [Fact]
    public void Client_ServerSchemeNotOffered_IllegalParameter()
    {
        using var client = Loopback.Client(ProtocolOptions.Default with { SignatureSchemes = [SignatureScheme.RsaPssRsaeSha256] });
        using var server = new ServerHandshake(ProtocolOptions.Default, TestKeys.Server) { Faults = new ServerFaults { ClaimScheme = SignatureScheme.RsaPssRsaeSha512 } };

        var (c, _) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.IllegalParameter, c.Last!.Failure!.Alert);
    }

    [Fact]
    public void Client_Server1024BitKey_BadCertificate()
    {
        using var weak = new SecureActors.Protocol.Identity.LocalIdentity(System.Security.Cryptography.RSA.Create(1024));
        using var client = Loopback.Client(trust: new SecureActors.Protocol.Identity.PinnedServerTrust(weak.Fingerprint));
        using var server = Loopback.Server(identity: weak);

        var (c, _) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.BadCertificate, c.Last!.Failure!.Alert);
    }

    private static (Endpoint Client, Endpoint Server) RunWithClientFaults(ClientFaults faults, ClientAuthPolicy policy = ClientAuthPolicy.Required, SecureActors.Protocol.Identity.LocalIdentity? identity = null)
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = policy };
        var client = new ClientHandshake(options, new SecureActors.Protocol.Identity.PinnedServerTrust(TestKeys.Server.Fingerprint), identity ?? TestKeys.Client) { Faults = faults };
        var server = new ServerHandshake(options, TestKeys.Server, new StaticAuthorizer("ok"));
        return Loopback.Run(client, server);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, -1)]
    [InlineData(false, 1)]
    public void Server_ClientFinishedFlippedTruncatedOrPadded_DecryptError(bool flip, int delta)
    {
        var (_, s) = RunWithClientFaults(new ClientFaults { CorruptFinished = flip, FinishedLengthDelta = delta });

        Assert.Equal(AlertDescription.DecryptError, s.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_ClientFinishedEmpty_DecodeError()
    {
        var (_, s) = RunWithClientFaults(new ClientFaults { FinishedLengthDelta = -1000 }, ClientAuthPolicy.None);

        // Math.Max(1, …) keeps one byte, which is a wrong-length Finished: decrypt_error.
        Assert.Equal(AlertDescription.DecryptError, s.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_FinishedWithoutSignature_UnexpectedMessage()
    {
        var (_, s) = RunWithClientFaults(new ClientFaults { SkipSignature = true });

        Assert.Equal(AlertDescription.UnexpectedMessage, s.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_ClientSignatureWithServerContext_DecryptError()
    {
        var (_, s) = RunWithClientFaults(new ClientFaults { SignWithServerContext = true });

        Assert.Equal(AlertDescription.DecryptError, s.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_ClientSignatureFromAnotherKey_DecryptError()
    {
        var (_, s) = RunWithClientFaults(new ClientFaults { SignWith = TestKeys.Other });

        Assert.Equal(AlertDescription.DecryptError, s.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_EmptyIdentityWhenRequired_CertificateRequired()
    {
        var options = ProtocolOptions.Default with { ClientAuthentication = ClientAuthPolicy.Required };
        using var client = Loopback.Client(options);
        using var server = Loopback.Server(options, authorizer: new StaticAuthorizer("x"));

        var (_, s) = Loopback.Run(client, server);

        Assert.Equal(AlertDescription.CertificateRequired, s.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_ApplicationDataBeforeFinished_UnexpectedMessage()
    {
        var (_, s) = RunWithClientFaults(new ClientFaults { ApplicationDataBeforeFinished = true }, ClientAuthPolicy.None);

        Assert.Equal(AlertDescription.UnexpectedMessage, s.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_DataAfterClientFinishedInSameRecord_UnexpectedMessage()
    {
        var (_, s) = RunWithClientFaults(new ClientFaults { TrailingAfterFinished = [20, 0, 1, 0] }, ClientAuthPolicy.None);

        Assert.Equal(AlertDescription.UnexpectedMessage, s.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_ReplayedClientFlightFromAnotherSession_BadRecordMac()
    {
        // Record a complete client flight (prologue, hello, finished) from session 1 ...
        var recorded = new List<byte[]>();
        using (var c1 = Loopback.Client())
        using (var s1 = Loopback.Server())
        {
            Loopback.Run(c1, s1, clientToServer: b => { recorded.Add(b); return b; });
        }

        // ... and replay it verbatim to a fresh server.
        using var server = Loopback.Server();
        var end = new Endpoint(server, expectsPrologue: true);
        foreach (var flight in recorded)
        {
            end.Deliver(flight);
        }

        Assert.Equal(AlertDescription.BadRecordMac, end.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_ReflectedServerFlight_UnexpectedMessage()
    {
        using var client = Loopback.Client();
        using var server = Loopback.Server();
        var serverEnd = new Endpoint(server, expectsPrologue: true);
        var hello = client.RunInline(client.Start()).Output.ToArray();
        serverEnd.Deliver(hello);

        serverEnd.Deliver(serverEnd.TakeOutbox());

        Assert.Equal(AlertDescription.UnexpectedMessage, serverEnd.Last!.Failure!.Alert);
    }

    [Fact]
    public void Server_PeerAlertDuringHandshake_FailsWithoutAnsweringAlert()
    {
        using var server = Loopback.Server();

        var step = server.Feed(Frame.Create(RecordType.Alert, new byte[] { 2, 40 }));

        Assert.Equal(AlertDescription.HandshakeFailure, step.Failure!.Alert);
        Assert.True(step.Failure.ReceivedFromPeer);
        Assert.True(step.Output.IsEmpty);
    }

    [Fact]
    public void Abort_AfterEachStep_DisposeIsClean()
    {
        // Brief row 25: stop at every point of a handshake and dispose both machines.
        for (var stopAfter = 0; stopAfter < 6; stopAfter++)
        {
            var client = Loopback.Client();
            var server = Loopback.Server();
            var step = client.Start();
            var outputs = 0;
            while (outputs < stopAfter && step.Operation is not null)
            {
                step = client.Complete(step.Operation.Execute());
                outputs++;
            }

            client.Dispose();
            server.Dispose();
            Assert.True(step.Operation is null || !step.Operation.Execute().Succeeded);
        }
    }

    [Fact]
    public void Prologue_HttpRequest_RejectedWithoutWaiting()
    {
        using var server = Loopback.Server();
        var end = new Endpoint(server, expectsPrologue: true);

        end.Deliver("GET / HTTP/1.1\r\n"u8.ToArray());

        Assert.True(end.PrologueRejected);
        Assert.Empty(end.Outbox);
    }

    [Theory]
    [InlineData(true, false, "message signatures")]
    [InlineData(false, true, "message batching")]
    public void Client_ServerTurnsOnAFeatureThatWasNotOffered_IllegalParameter(bool signatures, bool batching, string feature)
    {
        var parameters = new ServerParams(ClientAuthPolicy.None, 1024, signatures, [0x0804], batching);
        var offeredNeither = ProtocolOptions.Default with { MessageSignatures = false, MessageBatching = false };

        var failure = Assert.Throws<ProtocolViolationException>(() => ClientHandshake.RequireOnlyWhatWasOffered(parameters, offeredNeither));

        Assert.Equal(AlertDescription.IllegalParameter, failure.Alert);
        Assert.Contains(feature, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_ServerTurnsOnWhatWasOffered_Accepted()
    {
        var parameters = new ServerParams(ClientAuthPolicy.None, 1024, MessageSignatures: true, [0x0804], MessageBatching: true);

        ClientHandshake.RequireOnlyWhatWasOffered(parameters, ProtocolOptions.Default with { MessageSignatures = true, MessageBatching = true });
    }
}
