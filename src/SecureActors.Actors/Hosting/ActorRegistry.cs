using System.Collections.Concurrent;
using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Hosting;

/// <summary>
/// Well-known actors by typed key (usually an empty marker class per actor), shared through DI:
/// the configuration callback registers them, services look them up.
/// </summary>
public sealed class ActorRegistry
{
    private readonly ConcurrentDictionary<Type, IActorRef> _actors = new();
    private readonly ConcurrentDictionary<Type, TaskCompletionSource<IActorRef>> _waiters = new();

    /// <summary>Registers <paramref name="actor"/> under <typeparamref name="TKey"/>; throws <see cref="DuplicateActorRegistryException"/> if taken.</summary>
    public void Register<TKey>(IActorRef actor)
    {
        if (!TryRegister<TKey>(actor))
        {
            throw new DuplicateActorRegistryException($"An actor is already registered under {typeof(TKey).Name}.");
        }
    }

    /// <summary>Registers <paramref name="actor"/> under <typeparamref name="TKey"/>; false if the key is taken.</summary>
    public bool TryRegister<TKey>(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!_actors.TryAdd(typeof(TKey), actor))
        {
            return false;
        }

        Waiter(typeof(TKey)).TrySetResult(actor);
        return true;
    }

    /// <summary>The actor under <typeparamref name="TKey"/>; throws <see cref="MissingActorRegistryEntryException"/> if none.</summary>
    public IActorRef Get<TKey>() =>
        _actors.TryGetValue(typeof(TKey), out var actor)
            ? actor
            : throw new MissingActorRegistryEntryException($"No actor is registered under {typeof(TKey).Name}.");

    /// <summary>The actor under <typeparamref name="TKey"/>, if registered.</summary>
    public bool TryGet<TKey>(out IActorRef? actor) => _actors.TryGetValue(typeof(TKey), out actor);

    /// <summary>Waits until an actor is registered under <typeparamref name="TKey"/>.</summary>
    public Task<IActorRef> GetAsync<TKey>(CancellationToken cancellationToken = default) =>
        Waiter(typeof(TKey)).Task.WaitAsync(cancellationToken);

    private TaskCompletionSource<IActorRef> Waiter(Type key) =>
        _waiters.GetOrAdd(key, _ => new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>A key of the <see cref="ActorRegistry"/> was registered twice.</summary>
public sealed class DuplicateActorRegistryException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public DuplicateActorRegistryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DuplicateActorRegistryException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public DuplicateActorRegistryException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>A key of the <see cref="ActorRegistry"/> has no actor.</summary>
public sealed class MissingActorRegistryEntryException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public MissingActorRegistryEntryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MissingActorRegistryEntryException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MissingActorRegistryEntryException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
