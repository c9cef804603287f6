namespace SecureActors.Actors.Dispatch;

/// <summary>
/// A dispatcher with its own fixed set of threads, for CPU-heavy actors (crypto) that must not
/// starve the .NET thread pool that sockets and the default dispatcher depend on.
/// </summary>
internal sealed class DedicatedThreadPoolDispatcher : MessageDispatcher
{
    private readonly Queue<Mailbox> _work = new();
    private readonly object _lock = new();
    private readonly Thread[] _threads;
    private int _idle;
    private bool _stopping;

    public DedicatedThreadPoolDispatcher(string id, int throughput, int threadCount, bool background)
        : base(id, throughput)
    {
        _threads = new Thread[threadCount];
        for (var i = 0; i < threadCount; i++)
        {
            _threads[i] = new Thread(Loop) { IsBackground = background, Name = $"{id}-{i + 1}" };
            _threads[i].Start();
        }
    }

    public int ThreadCount => _threads.Length;

    protected override void Execute(Mailbox mailbox)
    {
        lock (_lock)
        {
            _work.Enqueue(mailbox);
            if (_idle > 0)
            {
                Monitor.Pulse(_lock);
            }
        }
    }

    private void Loop()
    {
        while (true)
        {
            Mailbox mailbox;
            lock (_lock)
            {
                while (_work.Count == 0)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    _idle++;
                    Monitor.Wait(_lock);
                    _idle--;
                }

                mailbox = _work.Dequeue();
            }

            mailbox.Execute();
        }
    }

    public override void Shutdown()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }
    }
}
