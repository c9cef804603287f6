namespace SecureActors.Actors.Dispatch;

/// <summary>The default dispatcher: mailboxes run as work items of the .NET thread pool.</summary>
internal sealed class ThreadPoolDispatcher(string id, int throughput) : MessageDispatcher(id, throughput)
{
    // preferLocal: false keeps actors fair across pool threads; a ping-pong pair then spreads
    // over cores instead of piling onto one thread's local queue.
    protected override void Execute(Mailbox mailbox) => ThreadPool.UnsafeQueueUserWorkItem(mailbox, preferLocal: false);
}
