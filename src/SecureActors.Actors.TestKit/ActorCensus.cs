using SecureActors.Actors.Actor;

namespace SecureActors.Actors.TestKit;

/// <summary>
/// Counts live actors by walking the actor tree itself rather than trusting any parent's
/// bookkeeping, so a test can show that a system which started and stopped thousands of actors
/// holds no more of them than before.
/// </summary>
public static class ActorCensus
{
    /// <summary>
    /// The live actors that <paramref name="path"/> selects (an absolute path; wildcards allowed, as in
    /// <see cref="ActorSystem.ActorSelection"/>) together with all their live descendants.
    /// </summary>
    public static int CountLive(ActorSystem system, string path = "/")
    {
        ArgumentNullException.ThrowIfNull(system);
        var pending = new Stack<InternalActorRef>(system.ActorSelection(path).Resolve());
        var live = 0;
        while (pending.TryPop(out var actor))
        {
            // A stopped child leaves its parent's list only once the parent has handled its death.
            if (actor.IsTerminated)
            {
                continue;
            }

            live++;
            foreach (var child in actor.GetChildren())
            {
                pending.Push(child);
            }
        }

        return live;
    }
}
