using Microsoft.Extensions.Hosting;
using SecureActors.Actors.Actor;

namespace SecureActors.Actors.Hosting;

/// <summary>
/// Starts the actor system with the host (running the configuration callbacks in order) and runs
/// coordinated shutdown when the host stops (Ctrl-C and SIGTERM stop the host). If the system
/// terminates on its own, the host is stopped too.
/// </summary>
internal sealed class ActorSystemHostedService(
    ActorSystem system,
    ActorRegistry registry,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ActorSystemStarters starters) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var starter in starters.Starters)
        {
            starter(system, registry, services);
        }

        system.WhenTerminated.ContinueWith(
            _ => lifetime.StopApplication(),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await system.CoordinatedShutdown.Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(cancellationToken).ConfigureAwait(false);
        await system.FinalTerminate().WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The configuration callbacks given to AddActorSystem, run in order at start.</summary>
internal sealed class ActorSystemStarters
{
    public List<Action<ActorSystem, ActorRegistry, IServiceProvider>> Starters { get; } = [];
}
