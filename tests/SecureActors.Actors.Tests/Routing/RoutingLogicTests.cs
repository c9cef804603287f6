using SecureActors.Actors.Actor;
using SecureActors.Actors.Routing;

namespace SecureActors.Actors.Tests.Routing;

public sealed class RoutingLogicTests
{
    private sealed class FakeRoutee(string name, int queued = -1, bool busy = false) : Routee
    {
        public override void Send(object message, IActorRef? sender)
        {
        }

        internal override string Identity => name;

        internal override int QueuedMessages => queued;

        internal override bool IsBusy => busy;

        public override string ToString() => name;
    }

    private static Routee[] Routees(int n) => [.. Enumerable.Range(0, n).Select(i => new FakeRoutee("r" + i))];

    [Fact]
    public void RoundRobin_CyclesThroughRouteesInOrder()
    {
        var routees = Routees(3);
        var logic = new RoundRobinRoutingLogic();
        var picked = Enumerable.Range(0, 6).Select(_ => logic.Select("m", routees)).ToArray();
        Assert.Equal([routees[0], routees[1], routees[2], routees[0], routees[1], routees[2]], picked);
    }

    [Fact]
    public void RoundRobin_CounterWrapsAround_StaysInRangeAndKeepsCycling()
    {
        var routees = Routees(3);
        var logic = new RoundRobinRoutingLogic(long.MaxValue - 2);
        for (var i = 0; i < 10; i++)
        {
            Assert.Contains(logic.Select("m", routees), routees);
        }
    }

    [Fact]
    public void RoundRobin_NoRoutees_ReturnsNoRoutee()
    {
        Assert.Same(NoRoutee.Instance, new RoundRobinRoutingLogic().Select("m", []));
    }

    [Fact]
    public void SmallestMailbox_IdleEmptyRouteeWins()
    {
        Routee[] routees = [new FakeRoutee("a", 3), new FakeRoutee("b", 0, busy: true), new FakeRoutee("c", 0), new FakeRoutee("d", 0)];
        Assert.Same(routees[2], new SmallestMailboxRoutingLogic().Select("m", routees));
    }

    [Fact]
    public void SmallestMailbox_AllLoaded_PicksFewestQueued()
    {
        Routee[] routees = [new FakeRoutee("a", 5), new FakeRoutee("b", 2, busy: true), new FakeRoutee("c", 3)];
        Assert.Same(routees[1], new SmallestMailboxRoutingLogic().Select("m", routees));
    }

    [Fact]
    public void Broadcast_SelectsAllRoutees()
    {
        var routees = Routees(4);
        var selected = Assert.IsType<SeveralRoutees>(new BroadcastRoutingLogic().Select("m", routees));
        Assert.Equal(routees, selected.Routees);
    }

    [Fact]
    public void ConsistentHashing_SameKey_SameRoutee()
    {
        var routees = Routees(5);
        var logic = new ConsistentHashingRoutingLogic(10);
        for (var i = 0; i < 50; i++)
        {
            var key = "key-" + i;
            var first = logic.Select(new ConsistentHashableEnvelope("m", key), routees);
            Assert.Same(first, logic.Select(new ConsistentHashableEnvelope("other", key), routees));
        }
    }

    [Fact]
    public void ConsistentHashing_MappingDelegate_TakesPrecedence()
    {
        var routees = Routees(5);
        var logic = new ConsistentHashingRoutingLogic(10, m => m is string s ? s[..1] : null);
        Assert.Same(logic.Select("apple", routees), logic.Select("avocado", routees));
    }

    [Fact]
    public void ConsistentHashing_NoKey_ReturnsNoRoutee()
    {
        Assert.Same(NoRoutee.Instance, new ConsistentHashingRoutingLogic(10).Select("no key", Routees(3)));
    }

    [Fact]
    public void ConsistentHashing_RemovingARoutee_MovesOnlyItsKeys()
    {
        var routees = Routees(5);
        var fewer = routees[..4];
        var logic = new ConsistentHashingRoutingLogic(10);
        var moved = 0;
        for (var i = 0; i < 1000; i++)
        {
            var envelope = new ConsistentHashableEnvelope("m", i);
            var before = logic.Select(envelope, routees);
            var after = logic.Select(envelope, fewer);
            if (!ReferenceEquals(before, routees[4]))
            {
                Assert.Same(before, after);
            }
            else
            {
                moved++;
            }
        }

        Assert.InRange(moved, 50, 400);
    }

    [Fact]
    public void ConsistentHash_VirtualNodes_PlaceFactorPointsPerNode()
    {
        var ring = ConsistentHash<string>.Create(["a", "b", "c"], 10, s => s);
        Assert.Equal(30, ring.PointCount);
    }

    [Fact]
    public void ConsistentHash_Distribution_IsRoughlyEven()
    {
        var ring = ConsistentHash<string>.Create(["a", "b", "c", "d"], 100, s => s);
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 10_000; i++)
        {
            var node = ring.NodeFor(BitConverter.GetBytes(i));
            counts[node] = counts.GetValueOrDefault(node) + 1;
        }

        Assert.All(counts.Values, c => Assert.InRange(c, 1500, 3500));
    }

    [Fact]
    public void MurmurHash_KnownVector_MatchesReference()
    {
        // MurmurHash3_x86_32("", 0) = 0 and ("hello", 0) = 0x248bfa47 (reference implementation).
        Assert.Equal(0u, MurmurHash.Hash32([], 0));
        Assert.Equal(0x248bfa47u, MurmurHash.Hash32("hello"u8, 0));
    }
}
