using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SecureActors.Actors.Actor;
using SecureActors.Hocon;

namespace SecureActors.Actors.Hosting;

/// <summary>Hosting an actor system in a Microsoft.Extensions.Hosting application.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds an actor system (a singleton, with an <see cref="ActorRegistry"/> and
    /// <see cref="IRequiredActor{TKey}"/>) that starts with the host, then calls
    /// <paramref name="configure"/> to create and register actors, and stops through coordinated
    /// shutdown when the host stops. Logs go to <paramref name="logger"/> or Serilog's static logger.
    /// </summary>
    public static IServiceCollection AddActorSystem(
        this IServiceCollection services,
        string name,
        Config? config,
        Action<ActorSystem, ActorRegistry> configure,
        Serilog.ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddActorSystem(name, config, (system, registry, _) => configure(system, registry), logger);
    }

    /// <summary>Like <see cref="AddActorSystem(IServiceCollection, string, Config?, Action{ActorSystem, ActorRegistry}, Serilog.ILogger?)"/>, with access to the service provider.</summary>
    public static IServiceCollection AddActorSystem(
        this IServiceCollection services,
        string name,
        Config? config,
        Action<ActorSystem, ActorRegistry, IServiceProvider> configure,
        Serilog.ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var starters = new ActorSystemStarters();
        starters.Starters.Add(configure);
        services.TryAddSingleton(starters);
        services.TryAddSingleton<ActorRegistry>();
        services.TryAddSingleton(_ => ActorSystem.Create(name, config, new ActorSystemSetup { Logger = logger }));
        services.TryAddSingleton(typeof(IRequiredActor<>), typeof(RequiredActor<>));
        services.AddHostedService<ActorSystemHostedService>();
        return services;
    }
}
