using SecureActors.Actors.Dispatch;

namespace SecureActors.Actors.Tests.Dispatch;

public sealed class SystemMessageQueueTests
{
    [Fact]
    public void SystemMessageQueue_Empty_HasNothingToDequeue()
    {
        var queue = new SystemMessageQueue();

        Assert.True(queue.IsEmpty);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void SystemMessageQueue_SeveralMessages_DequeuedInArrivalOrderThenEmpty()
    {
        var queue = new SystemMessageQueue();
        var resume = new Resume(null);

        queue.Enqueue(Create.Instance);
        queue.Enqueue(Suspend.Instance);
        queue.Enqueue(resume);
        queue.Enqueue(Terminate.Instance);

        var taken = new List<SystemMessage>();
        while (queue.TryDequeue(out var message))
        {
            taken.Add(message);
        }

        Assert.Equal<SystemMessage>([Create.Instance, Suspend.Instance, resume, Terminate.Instance], taken);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void SystemMessageQueue_SameSingletonTwice_BothAreDelivered()
    {
        var queue = new SystemMessageQueue();

        queue.Enqueue(Suspend.Instance);
        queue.Enqueue(Suspend.Instance);

        Assert.True(queue.TryDequeue(out var first));
        Assert.True(queue.TryDequeue(out var second));
        Assert.Same(Suspend.Instance, first);
        Assert.Same(Suspend.Instance, second);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public async Task SystemMessageQueue_ManyProducersOneConsumer_NothingLostAndEachProducersOrderKept()
    {
        const int producers = 4;
        const int perProducer = 5_000;
        var queue = new SystemMessageQueue();
        var messages = Enumerable.Range(0, producers).Select(_ => Enumerable.Range(0, perProducer).Select(_ => new Resume(null)).ToArray()).ToArray();
        var order = messages.SelectMany((batch, p) => batch.Select((m, i) => (m, p, i))).ToDictionary(x => (SystemMessage)x.m, x => (x.p, x.i));

        var writers = Enumerable.Range(0, producers).Select(p => Task.Run(() =>
        {
            foreach (var message in messages[p])
            {
                queue.Enqueue(message);
            }
        })).ToArray();
        var lastSeen = Enumerable.Repeat(-1, producers).ToArray();
        var received = 0;
        while (received < producers * perProducer)
        {
            if (queue.TryDequeue(out var message))
            {
                var (producer, index) = order[message];
                Assert.True(index > lastSeen[producer], $"producer {producer}: {index} after {lastSeen[producer]}");
                lastSeen[producer] = index;
                received++;
            }
            else if (writers.All(w => w.IsCompleted) && queue.IsEmpty)
            {
                break;
            }
        }

        await Task.WhenAll(writers);
        Assert.Equal(producers * perProducer, received);
        Assert.True(queue.IsEmpty);
    }
}
