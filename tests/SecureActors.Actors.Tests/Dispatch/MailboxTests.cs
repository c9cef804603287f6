using SecureActors.Actors.Actor;
using SecureActors.Actors.Dispatch;
using SecureActors.Actors.Event;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Dispatch;

public sealed class MailboxTests(ITestOutputHelper output) : TestKit.TestKit(@"
actors.actor.tiny-mailbox { mailbox-type = bounded, mailbox-capacity = 2 }
actors.actor.one-per-turn { type = ForkJoinDispatcher, throughput = 1, dedicated-thread-pool.thread-count = 1 }
actors.actor.thirty-per-turn { type = ForkJoinDispatcher, throughput = 30, dedicated-thread-pool.thread-count = 1 }
", output)
{
    [Fact]
    public async Task BoundedMailbox_Full_DropsNewestWithoutBlocking()
    {
        var gate = new ManualResetEventSlim();
        var actor = Sys.ActorOf(Props.Create(() => new Blocker(gate, TestActor)).WithMailbox("actors.actor.tiny-mailbox"));
        await FillTinyMailboxUntilOneIsDroppedAsync(actor);
        gate.Set();
        await ExpectMsgAsync("q1");
        await ExpectMsgAsync("q2");
        await ExpectNoMsgAsync();
    }

    [Fact]
    public void BoundedMessageQueue_RefusesBeyondCapacity()
    {
        var queue = new BoundedMessageQueue(2);
        var envelope = new Envelope("m", null!);
        Assert.True(queue.TryEnqueue(envelope));
        Assert.True(queue.TryEnqueue(envelope));
        Assert.False(queue.TryEnqueue(envelope));
        Assert.True(queue.TryDequeue(out _));
        Assert.True(queue.TryEnqueue(envelope));
        Assert.Equal(2, queue.Count);
    }

    [Theory]
    [InlineData("actors.actor.one-per-turn", "ababababab")]
    [InlineData("actors.actor.thirty-per-turn", "aaaaabbbbb")]
    public async Task Throughput_BoundsMessagesPerTurn(string dispatcher, string expectedOrder)
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var gate = new ManualResetEventSlim();
        // One thread: while a's first message holds it, everything else is queued; then turns alternate per throughput.
        var a = Sys.ActorOf(Props.Create(() => new Recorder("a", log, gate)).WithDispatcher(dispatcher));
        var b = Sys.ActorOf(Props.Create(() => new Recorder("b", log, gate)).WithDispatcher(dispatcher));
        a.Tell(0);
        await AwaitConditionAsync(() => ((LocalActorRef)a).Cell.Mailbox.NumberOfMessages == 0 && ((LocalActorRef)a).Cell.Mailbox.IsScheduled);
        for (var i = 1; i < 5; i++)
        {
            a.Tell(i);
        }

        for (var i = 0; i < 5; i++)
        {
            b.Tell(i);
        }

        gate.Set();
        await AwaitConditionAsync(() => log.Count == 10);
        Assert.Equal(expectedOrder, string.Concat(log));
    }

    [Fact]
    public async Task SystemMessages_AreHandledBeforeQueuedUserMessages()
    {
        var gate = new ManualResetEventSlim();
        var actor = Watch(Sys.ActorOf(Props.Create(() => new Blocker(gate, TestActor))));
        actor.Tell("first");
        await ExpectMsgAsync("busy");
        actor.Tell("queued-1");
        actor.Tell("queued-2");
        Sys.Stop(actor);
        gate.Set();
        await ExpectTerminatedAsync(actor);
        await ExpectNoMsgAsync();
    }

    [Fact]
    public async Task DedicatedDispatcher_RunsActorOnItsOwnThreads()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ThreadReporter()).WithDispatcher(Dispatchers.DefaultForkJoinDispatcherId));
        actor.Tell("which");
        Assert.StartsWith(Dispatchers.DefaultForkJoinDispatcherId, await ExpectMsgAsync<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownMailbox_FailsEveryActorCreation_NotOnlyTheFirst()
    {
        var first = Assert.Throws<SecureActors.Hocon.ConfigException>(() => Sys.ActorOf(Props.Create(() => new ThreadReporter()).WithMailbox("no.such.mailbox")));
        var second = Assert.Throws<SecureActors.Hocon.ConfigException>(() => Sys.ActorOf(Props.Create(() => new ThreadReporter()).WithMailbox("no.such.mailbox")));
        Assert.Contains("no.such.mailbox", first.Message);
        Assert.Equal(first.Message, second.Message);
    }

    [Fact]
    public async Task BoundedMailbox_SecondActorOfTheSameSection_GetsItsOwnQueueOfTheConfiguredCapacity()
    {
        var gate = new ManualResetEventSlim();
        var earlier = Sys.ActorOf(Props.Create(() => new Blocker(gate, TestActor)).WithMailbox("actors.actor.tiny-mailbox"));
        var later = Sys.ActorOf(Props.Create(() => new Blocker(gate, TestActor)).WithMailbox("actors.actor.tiny-mailbox"));
        await FillTinyMailboxUntilOneIsDroppedAsync(later);
        earlier.Tell("other");
        gate.Set();
        await ExpectMsgAllOfAsync("q1", "q2", "other");
    }

    [Fact]
    public void UnknownDispatcher_FailsActorCreation()
    {
        Assert.Throws<SecureActors.Hocon.ConfigException>(() => Sys.ActorOf(Props.Create(() => new ThreadReporter()).WithDispatcher("no.such.dispatcher")));
    }

    [Fact]
    public async Task CallingThreadDispatcher_HandlesBeforeTellReturns()
    {
        var actor = ActorOfAsTestActorRef(() => new Tally());
        actor.Tell("x");
        Assert.Equal(1, actor.UnderlyingActor.Count);
        actor.Tell("x");
        Assert.Equal(2, actor.UnderlyingActor.Count);
        await Task.CompletedTask;
    }

    /// <summary>Blocks <paramref name="blocker"/> in its first message, then offers three to its two-slot mailbox: the third is dropped.</summary>
    private async Task FillTinyMailboxUntilOneIsDroppedAsync(IActorRef blocker)
    {
        blocker.Tell("first");
        await ExpectMsgAsync("busy");
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(Dropped));
        blocker.Tell("q1");
        blocker.Tell("q2");
        blocker.Tell("overflow");
        var dropped = await probe.ExpectMsgAsync<Dropped>();
        Assert.Equal("overflow", dropped.Message);
    }

    private sealed class Blocker : ReceiveActor
    {
        public Blocker(ManualResetEventSlim gate, IActorRef reporter)
        {
            Receive<string>(s => s == "first", _ =>
            {
                reporter.Tell("busy");
                gate.Wait(TimeSpan.FromSeconds(10));
            });
            Receive<string>(s => reporter.Tell(s));
        }
    }

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(string name, System.Collections.Concurrent.ConcurrentQueue<string> log, ManualResetEventSlim gate) =>
            ReceiveAny(_ =>
            {
                gate.Wait(TimeSpan.FromSeconds(10));
                log.Enqueue(name);
            });
    }

    private sealed class Tally : ReceiveActor
    {
        public Tally() => ReceiveAny(_ => Count++);

        public int Count { get; private set; }
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter() => ReceiveAny(_ => Sender.Tell(Thread.CurrentThread.Name ?? "pool"));
    }
}
