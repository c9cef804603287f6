using System.Collections.Concurrent;
using System.Text;
using SecureActors.Actors.Actor;
using SecureActors.Client;
using SecureActors.Protocol;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using SecureActors.Server.Handler;
using SecureActors.Server.Hosting;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.EndToEnd;

/// <summary>Per-message signatures (PROTOCOL.md §12) through a real server over loopback.</summary>
public sealed class MessageSignatureTests(ITestOutputHelper output)
{
    private const string SignaturesOn = """
        server.client-auth.policy = optional
        server.protocol.message-signatures = on
        """;

    private static readonly Lazy<LocalIdentity> Alice = new(() => LocalIdentity.Generate(2048));

    private readonly ConcurrentQueue<(bool Signed, string Text)> _handled = new();

    private static AuthorizedClients Authorized() =>
        AuthorizedClients.Parse([$"sap-rsa {Convert.ToBase64String(Alice.Value.Spki.Span)} alice"], "test");

    private Task<(SecureServer Server, XunitLogSink Log)> StartAsync(string hocon = SignaturesOn, Func<MessageHandler>? handler = null) =>
        TestServers.StartAsync(output, hocon, new SecureServerOptions
        {
            Authorizer = Authorized(),
            HandlerProps = Props.Create(handler ?? (() => new RecordingEcho(_handled))),
        });

    private static SecureClientOptions SigningClient(SecureServer server) =>
        TestServers.ClientOptions(server) with { Identity = Alice.Value, MessageSignatures = true };

    [Fact]
    public async Task Signatures_BothEnabled_HandlerGetsVerifiedApplicationBytesAndClientGetsVerifiedReplies()
    {
        var (server, _) = await StartAsync();
        await using (server)
        {
            await using var client = await SecureClient.ConnectAsync(SigningClient(server));

            var replies = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => client.SendAsync($"message {i}")));

            Assert.True(client.MessageSignatures);
            Assert.Equal(Enumerable.Range(1, 5).Select(i => $"echo: message {i}"), replies);
            Assert.Equal(Enumerable.Range(1, 5).Select(i => (true, $"message {i}")), _handled.OrderBy(h => h.Text, StringComparer.Ordinal));
            Assert.Equal(1 << 20, client.MaxRequestSize + MessageSignature.BlockLength(2048));
            await client.CloseAsync();
        }
    }

    [Fact]
    public async Task Signatures_ServerPushes_ArriveVerifiedAsApplicationBytes()
    {
        var (server, _) = await StartAsync(handler: () => new PushThenEcho());
        await using (server)
        {
            await using var client = await SecureClient.ConnectAsync(SigningClient(server));

            Assert.Equal("ping", await client.SendAsync("ping"));
            var pushed = await client.PushedMessages.ReadAsync().AsTask().WaitAsync(Await.Bound);

            Assert.Equal("pushed before ping", Encoding.UTF8.GetString(pushed.Span));
            await client.CloseAsync();
        }
    }

    [Fact]
    public async Task Signatures_RawPeer_EveryReplyCarriesAValidServerSignatureWithIncreasingCounters()
    {
        var (server, _) = await StartAsync(handler: () => new AnswerInReverse(3));
        await using (server)
        {
            await using var peer = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, Alice.Value);
            for (ulong i = 1; i <= 3; i++)
            {
                await peer.SendRequestAsync(peer.Sign(i, Encoding.UTF8.GetBytes($"request {i}")), signed: true);
            }

            var serverKey = new PeerIdentity(TestServers.Identity.Spki);
            for (ulong i = 1; i <= 3; i++)
            {
                var reply = await peer.ReceiveAsync();
                Assert.Equal((ChannelEventKind.Message, MessageKind.Reply, i, true), (reply.Kind, reply.MessageKind, reply.Id, reply.Signed));
                Assert.True(MessageSignature.TryParse(reply.Payload, out var block));
                Assert.Equal(i, block!.Counter);
                Assert.Equal($"request {i}", Encoding.UTF8.GetString(block.Application));
                Assert.True(MessageSignature.Verify(serverKey, peer.Room, block));
            }
        }
    }

    [Fact]
    public async Task Signatures_OffByDefault_NoFlagAndNoBlockOnTheWire()
    {
        var (server, _) = await StartAsync(hocon: "");
        await using (server)
        {
            await using var peer = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, identity: null, offerSignatures: false);

            await peer.SendRequestAsync("hello"u8.ToArray(), signed: false);
            var reply = await peer.ReceiveAsync();

            Assert.False(peer.Channel.MessageSignatures);
            Assert.False(reply.Signed);
            Assert.Equal("echo: hello", Encoding.UTF8.GetString(reply.Payload));
            Assert.Equal((false, "hello"), Assert.Single(_handled));
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Signatures_OnlyOneSideEnables_NotNegotiatedAndMessagesAreUnsigned(bool clientAsks, bool serverEnables)
    {
        var (server, _) = await StartAsync(hocon: serverEnables ? SignaturesOn : "server.client-auth.policy = optional");
        await using (server)
        {
            await using var client = await SecureClient.ConnectAsync(TestServers.ClientOptions(server) with { Identity = Alice.Value, MessageSignatures = clientAsks });

            Assert.Equal("echo: plain", await client.SendAsync("plain"));

            Assert.False(client.MessageSignatures);
            Assert.Equal((false, "plain"), Assert.Single(_handled));
            await client.CloseAsync();
        }
    }

    [Fact]
    public async Task Signatures_TamperedSignature_DecryptErrorAndOnlyThatSessionEnds()
    {
        var (server, log) = await StartAsync();
        await using (server)
        {
            await using var bystander = await SecureClient.ConnectAsync(SigningClient(server));
            await using var peer = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, Alice.Value);
            var payload = peer.Sign(1, "transfer 10"u8.ToArray());
            payload[MessageSignature.FixedBlockLength + 7] ^= 0x01;

            await peer.SendRequestAsync(payload, signed: true);

            Assert.Equal(AlertDescription.DecryptError, await peer.ReceiveAlertAsync());
            Assert.Equal("echo: still here", await bystander.SendAsync("still here"));
            Assert.DoesNotContain(_handled, h => h.Text == "transfer 10");
            Assert.Contains(log.Messages, m => m.Contains("decrypt_error", StringComparison.Ordinal) && m.Contains("request 1: message signature does not verify", StringComparison.Ordinal));
            await bystander.CloseAsync();
        }
    }

    [Theory]
    [InlineData(1UL, 1UL)]
    [InlineData(5UL, 4UL)]
    public async Task Signatures_CounterDoesNotIncrease_IllegalParameter(ulong first, ulong second)
    {
        var (server, log) = await StartAsync();
        await using (server)
        {
            await using var peer = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, Alice.Value);
            await peer.SendRequestAsync(peer.Sign(first, "first"u8.ToArray()), signed: true);
            Assert.True((await peer.ReceiveAsync()).Signed);

            await peer.SendRequestAsync(peer.Sign(second, "second"u8.ToArray()), signed: true);

            Assert.Equal(AlertDescription.IllegalParameter, await peer.ReceiveAlertAsync());
            Assert.Contains(log.Messages, m => m.Contains("illegal_parameter", StringComparison.Ordinal) && m.Contains($"signature counter {second} does not increase", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Signatures_UnsignedRequestWhenNegotiated_IllegalParameter()
    {
        var (server, log) = await StartAsync();
        await using (server)
        {
            await using var peer = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, Alice.Value);

            await peer.SendRequestAsync("no signature"u8.ToArray(), signed: false);

            Assert.Equal(AlertDescription.IllegalParameter, await peer.ReceiveAlertAsync());
            Assert.Empty(_handled);
            Assert.Contains(log.Messages, m => m.Contains("request 1: unsigned, but message signatures are in use", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Signatures_MessageSignedForAnotherSession_DecryptError()
    {
        var (server, _) = await StartAsync();
        await using (server)
        {
            await using var original = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, Alice.Value);
            await using var replayer = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, Alice.Value);
            var signedForOriginal = original.Sign(1, "pay once"u8.ToArray());
            await original.SendRequestAsync(signedForOriginal, signed: true);
            Assert.True((await original.ReceiveAsync()).Signed);

            await replayer.SendRequestAsync(signedForOriginal, signed: true);

            Assert.NotEqual(original.Room, replayer.Room);
            Assert.Equal(AlertDescription.DecryptError, await replayer.ReceiveAlertAsync());
            Assert.Single(_handled, h => h.Text == "pay once");
        }
    }

    [Fact]
    public async Task Signatures_MalformedBlock_DecodeError()
    {
        var (server, _) = await StartAsync();
        await using (server)
        {
            await using var peer = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, Alice.Value);

            await peer.SendRequestAsync(new byte[10], signed: true);

            Assert.Equal(AlertDescription.DecodeError, await peer.ReceiveAlertAsync());
        }
    }

    [Fact]
    public async Task Signatures_SignedFlagFromAClientWithoutIdentity_IllegalParameter()
    {
        var (server, log) = await StartAsync();
        await using (server)
        {
            await using var anonymous = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, identity: null);
            var signedWithAKeyTheServerNeverSaw = MessageSignature.Sign(Alice.Value, anonymous.Room, 1, 0, "hi"u8);

            await anonymous.SendRequestAsync(signedWithAKeyTheServerNeverSaw, signed: true);

            Assert.True(anonymous.Channel.MessageSignatures);
            Assert.Equal(AlertDescription.IllegalParameter, await anonymous.ReceiveAlertAsync());
            Assert.Contains(log.Messages, m => m.Contains("signed, but the sender proved no identity", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Signatures_ClientWithoutIdentity_SendsUnsignedAndStillGetsSignedReplies()
    {
        var (server, _) = await StartAsync();
        await using (server)
        {
            await using var anonymous = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, identity: null);

            await anonymous.SendRequestAsync("hello"u8.ToArray(), signed: false);
            var reply = await anonymous.ReceiveAsync();

            Assert.True(reply.Signed);
            Assert.True(MessageSignature.TryParse(reply.Payload, out var block));
            Assert.True(MessageSignature.Verify(new PeerIdentity(TestServers.Identity.Spki), anonymous.Room, block!));
            Assert.Equal((false, "hello"), Assert.Single(_handled));
        }
    }

    [Fact]
    public async Task Signatures_SigningLostOnACrashedWorker_SessionEndsWithInternalErrorAtTheDeadline()
    {
        // One worker failing on its 5th operation: the handshake takes 3 (key share, shared secret with
        // the server's signature, client signature), verifying request 1 the 4th, signing its reply the 5th.
        var (server, _) = await StartAsync(SignaturesOn + """

            server.testing.crypto-fault-every = 5
            server.session.crypto-timeout = 500 ms
            actors.actor.deployment."/server/crypto".nr-of-instances = 1
            """);
        await using (server)
        {
            await using var peer = await SigningPeer.ConnectAsync(server.Endpoint, server.Fingerprint, Alice.Value);

            await peer.SendRequestAsync(peer.Sign(1, "lost"u8.ToArray()), signed: true);

            Assert.Equal(AlertDescription.InternalError, await peer.ReceiveAlertAsync());
            Assert.Equal((true, "lost"), Assert.Single(_handled));
        }
    }

    /// <summary>Answers "echo: …" and remembers what it was given.</summary>
    private sealed class RecordingEcho(ConcurrentQueue<(bool Signed, string Text)> handled) : MessageHandler
    {
        protected override void OnRequest(HandlerProtocol.Handle request)
        {
            var text = Encoding.UTF8.GetString(request.Payload.Span);
            handled.Enqueue((request.Signed, text));
            request.Reply(Encoding.UTF8.GetBytes("echo: " + text));
        }
    }

    /// <summary>Pushes a message, then echoes the request.</summary>
    private sealed class PushThenEcho : MessageHandler
    {
        protected override void OnRequest(HandlerProtocol.Handle request)
        {
            request.Session.Tell(new HandlerProtocol.Push(Encoding.UTF8.GetBytes("pushed before " + Encoding.UTF8.GetString(request.Payload.Span))), Self);
            request.Reply(request.Payload);
        }
    }

    /// <summary>Holds the first <c>count</c> requests, then answers them last first: replies must still leave in request order.</summary>
    private sealed class AnswerInReverse(int count) : MessageHandler
    {
        private readonly Stack<HandlerProtocol.Handle> _held = new();

        protected override void OnRequest(HandlerProtocol.Handle request)
        {
            _held.Push(request);
            if (_held.Count < count)
            {
                return;
            }

            while (_held.TryPop(out var held))
            {
                held.Reply(held.Payload);
            }
        }
    }
}
