using System.Buffers;
using SecureActors.Client;
using SecureActors.Protocol;
using SecureActors.Server.Handler;
using SecureActors.Server.Hosting;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Handler;

/// <summary>Which handler a server runs, and what a responder's failure means, over real loopback sockets.</summary>
public sealed class ResponderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Server_DefaultEcho_AnswersInsideTheSessionsWithNoHandlerActor()
    {
        var (server, _) = await TestServers.StartAsync(output);
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);

            Assert.Equal("inline", await client.SendAsync("inline"));
            await Assert.ThrowsAnyAsync<Exception>(() => server.System.ActorSelection("/user/server/handler").ResolveOne());
        }
    }

    [Fact]
    public async Task Server_EchoActorType_AnswersThroughTheSharedHandlerActor()
    {
        var (server, _) = await TestServers.StartAsync(output, "server.handler.type = echo-actor");
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);

            Assert.Equal("via actor", await client.SendAsync("via actor"));
            Assert.NotNull(await server.System.ActorSelection("/user/server/handler").ResolveOne());
        }
    }

    [Fact]
    public async Task Server_ResponderThrowsForOneRequest_OnlyThatSessionEndsWithInternalError()
    {
        var (server, log) = await TestServers.StartAsync(output, options: new SecureServerOptions { Responder = new FailOnMarker() });
        await using (server)
        {
            await using var bystander = await TestServers.ConnectAsync(server);
            await using var victim = await TestServers.ConnectAsync(server);

            var failure = await Assert.ThrowsAnyAsync<SecureClientException>(() => victim.SendAsync("fail").WaitAsync(Bound));

            Assert.Equal(AlertDescription.InternalError, failure.Alert);
            var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => bystander.SendAsync($"still served {i}"))).WaitAsync(Bound);
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"still served {i}"), replies);
            await Await.UntilAsync(() => log.Messages.Any(line => line.Contains("the responder failed on request 1", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("server.protocol.message-batching = off", false)]
    public async Task Server_PipelinedRequestsWithOrWithoutBatching_EveryReplyArrivesInOrder(string hocon, bool batching)
    {
        var (server, _) = await TestServers.StartAsync(output, hocon);
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);

            var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => client.SendAsync($"pipelined {i}"))).WaitAsync(Bound);

            Assert.Equal(Enumerable.Range(0, 200).Select(i => $"pipelined {i}"), replies);
            Assert.Equal(batching, client.MessageBatching);
        }
    }

    [Fact]
    public async Task Server_HandlerPropsAndResponderBothGiven_TheActorHandlerWins()
    {
        var (server, _) = await TestServers.StartAsync(output, options: new SecureServerOptions { HandlerProps = EchoHandler.Props(), Responder = new FailOnMarker() });
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);

            Assert.Equal("fail", await client.SendAsync("fail"));
            Assert.NotNull(await server.System.ActorSelection("/user/server/handler").ResolveOne());
        }
    }

    private sealed class FailOnMarker : IRequestResponder
    {
        public void Respond(in HandlerRequest request, IBufferWriter<byte> reply)
        {
            if (request.Payload.SequenceEqual("fail"u8))
            {
                throw new InvalidOperationException("marker request");
            }

            reply.Write(request.Payload);
        }
    }
}
