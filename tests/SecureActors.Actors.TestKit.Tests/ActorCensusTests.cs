using SecureActors.Actors.Actor;
using Xunit.Abstractions;

namespace SecureActors.Actors.TestKit.Tests;

public sealed class ActorCensusTests(ITestOutputHelper output) : TestKit(output)
{
    private sealed class Parent : ReceiveActor
    {
        public Parent(int children)
        {
            for (var i = 0; i < children; i++)
            {
                Context.ActorOf(Props.Create(() => new Parent(0)), $"child-{i}");
            }

            ReceiveAny(_ => Sender.Tell(Context.Children.Count, Self));
        }
    }

    [Fact]
    public async Task CountLive_SubtreeAndWildcard_CountEveryLiveDescendant()
    {
        Sys.ActorOf(Props.Create(() => new Parent(3)), "parent").Tell("ready?");
        await ExpectMsgAsync(3);

        Assert.Equal(4, ActorCensus.CountLive(Sys, "/user/parent"));
        Assert.Equal(3, ActorCensus.CountLive(Sys, "/user/parent/child-*"));
        Assert.True(ActorCensus.CountLive(Sys) > 4, "the whole tree holds the guardians too");
    }

    [Fact]
    public async Task CountLive_StoppedChild_IsNoLongerCounted()
    {
        Sys.ActorOf(Props.Create(() => new Parent(2)), "parent").Tell("ready?");
        await ExpectMsgAsync(2);
        var child = await Sys.ActorSelection("/user/parent/child-0").ResolveOne();
        Watch(child);

        Sys.Stop(child);
        await ExpectTerminatedAsync(child);

        Assert.Equal(2, ActorCensus.CountLive(Sys, "/user/parent"));
        Assert.Equal(0, ActorCensus.CountLive(Sys, "/user/nobody"));
    }
}
