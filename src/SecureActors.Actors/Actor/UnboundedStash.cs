using SecureActors.Actors.Dispatch;

namespace SecureActors.Actors.Actor;

/// <summary>The stash of one actor incarnation; used only on the actor's own turn.</summary>
internal sealed class UnboundedStash(ActorCell cell) : IStash
{
    private readonly List<Envelope> _stashed = [];
    private long _lastStashedInvocation = -1;

    public int Count => _stashed.Count;

    public void Stash()
    {
        var message = cell.CurrentMessage ?? throw new IllegalActorStateException("There is no message to stash.");
        if (_lastStashedInvocation == cell.InvocationCount)
        {
            throw new IllegalActorStateException($"Can't stash the same message {message} more than once.");
        }

        _lastStashedInvocation = cell.InvocationCount;
        _stashed.Add(new Envelope(message, cell.Sender));
    }

    public void Unstash()
    {
        if (_stashed.Count == 0)
        {
            return;
        }

        var first = _stashed[0];
        _stashed.RemoveAt(0);
        cell.Mailbox.Prepend([first]);
    }

    public IReadOnlyList<Envelope> ClearStash()
    {
        var cleared = _stashed.ToArray();
        _stashed.Clear();
        return cleared;
    }

    public void UnstashAll()
    {
        if (_stashed.Count == 0)
        {
            return;
        }

        cell.Mailbox.Prepend(_stashed);
        _stashed.Clear();
    }
}
