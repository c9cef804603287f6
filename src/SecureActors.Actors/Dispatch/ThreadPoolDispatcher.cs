namespace SecureActors.Actors.Dispatch;

/// <summary>The default dispatcher: mailboxes run as work items of the .NET thread pool.</summary>
internal sealed class ThreadPoolDispatcher(string id, int throughput) : MessageDispatcher(id, throughput)
{
    // An actor that sends to an idle actor wakes it on the sending thread's local queue: the
    // receiver usually runs next on the same core with the message still in cache, without
    // contending on the pool's global queue, and idle threads steal from local queues, so nothing
    // waits for a busy thread. (Senders outside the pool, such as socket loops and timers, always
    // use the global queue.) The before/after of this choice is in docs/PERFORMANCE.md (ping-pong).
    protected override void Execute(Mailbox mailbox) => ThreadPool.UnsafeQueueUserWorkItem(mailbox, preferLocal: true);

    // Local queues are last-in, first-out for their own thread: an actor that used up its
    // throughput and went back there would run again at once and starve the actors queued under
    // it. Behind everything else in the global queue, `throughput` keeps its meaning (fairness).
    protected override void ExecuteAfterTurn(Mailbox mailbox) => ThreadPool.UnsafeQueueUserWorkItem(mailbox, preferLocal: false);
}
