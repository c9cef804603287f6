using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Hosting;

/// <summary>Injectable access to the actor registered under <typeparamref name="TKey"/>; needs no registration of its own.</summary>
public interface IRequiredActor<TKey>
{
    /// <summary>The actor; throws <see cref="MissingActorRegistryEntryException"/> if it is not registered yet.</summary>
    IActorRef ActorRef { get; }

    /// <summary>Waits for the actor to be registered.</summary>
    Task<IActorRef> GetAsync(CancellationToken cancellationToken = default);
}

internal sealed class RequiredActor<TKey>(ActorRegistry registry) : IRequiredActor<TKey>
{
    public IActorRef ActorRef => registry.Get<TKey>();

    public Task<IActorRef> GetAsync(CancellationToken cancellationToken = default) => registry.GetAsync<TKey>(cancellationToken);
}
