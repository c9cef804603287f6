namespace SecureActors.Actors.Dispatch;

/// <summary>
/// Runs a mailbox on the thread that sent to it, so a test sees the effect of a Tell as soon as
/// Tell returns. A mailbox already running on some thread keeps the new message for that run.
/// </summary>
internal sealed class CallingThreadDispatcher(string id) : MessageDispatcher(id, int.MaxValue)
{
    protected override void Execute(Mailbox mailbox) => mailbox.Execute();
}
