using System.Net;
using SecureActors.Actors.Actor;
using SecureActors.Server.Handler;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Handler;

public sealed class MessageHandlerTests(ITestOutputHelper output) : Actors.TestKit.TestKit(output)
{
    private static HandlerProtocol.Handle Request(IActorRef session, ulong id, string text) =>
        new(session, "00", null, null, new IPEndPoint(IPAddress.Loopback, 1), id, System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Echo_Request_RepliesWithTheSamePayloadToTheSession()
    {
        var session = CreateTestProbe();
        var echo = Sys.ActorOf(EchoHandler.Props());

        echo.Tell(Request(session.Ref, 7, "ping"));

        var reply = await session.ExpectMsgAsync<HandlerProtocol.Replied>();
        Assert.Equal(7UL, reply.RequestId);
        Assert.Equal("ping"u8.ToArray(), reply.Payload.ToArray());
    }

    [Fact]
    public async Task Handler_ThrowsOnARequest_TellsThatSessionAndServesTheNextAfterRestart()
    {
        var victim = CreateTestProbe();
        var other = CreateTestProbe();
        var handler = Sys.ActorOf(Props.Create(() => new Crashing()));

        handler.Tell(Request(victim.Ref, 1, "crash"));
        handler.Tell(Request(other.Ref, 1, "fine"));

        var failed = await victim.ExpectMsgAsync<HandlerProtocol.Failed>();
        Assert.Equal(1UL, failed.RequestId);
        Assert.Equal("fine"u8.ToArray(), (await other.ExpectMsgAsync<HandlerProtocol.Replied>()).Payload.ToArray());
    }

    private sealed class Crashing : MessageHandler
    {
        protected override void OnRequest(HandlerProtocol.Handle request)
        {
            if (request.Payload.Span.SequenceEqual("crash"u8))
            {
                throw new InvalidOperationException("asked to crash");
            }

            request.Reply(request.Payload);
        }
    }
}
