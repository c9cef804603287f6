using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureActors.Actors.Actor;
using SecureActors.Actors.Hosting;

namespace SecureActors.Actors.Tests.Hosting;

public sealed class HostingTests
{
    private sealed class EchoKey;

    private sealed class MissingKey;

    private static IHost BuildHost(Action<ActorSystem, ActorRegistry> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddActorSystem("hosted", SecureActors.Hocon.ConfigFactory.ParseString("actors.coordinated-shutdown.run-by-clr-shutdown-hook = off"), configure);
        return builder.Build();
    }

    [Fact]
    public async Task AddActorSystem_HostStarts_RegistersActorsAndResolvesRequiredActor()
    {
        using var host = BuildHost((system, registry) => registry.Register<EchoKey>(system.ActorOf(Props.Create(() => new TestActors.Echo()), "echo")));
        await host.StartAsync();
        var required = host.Services.GetRequiredService<IRequiredActor<EchoKey>>();
        Assert.Equal("hi", await required.ActorRef.Ask<string>("hi", TimeSpan.FromSeconds(3)));
        Assert.Same(required.ActorRef, await required.GetAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task HostStops_RunsCoordinatedShutdownAndTerminatesSystem()
    {
        var ran = false;
        using var host = BuildHost((system, _) => system.CoordinatedShutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "flag", () =>
        {
            ran = true;
            return Task.CompletedTask;
        }));
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        await host.StopAsync();
        Assert.True(ran);
        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.IsType<CoordinatedShutdown.ClrExitReason>(system.CoordinatedShutdown.ShutdownReason);
    }

    [Fact]
    public async Task Registry_DuplicateAndMissing_Throw()
    {
        var registry = new ActorRegistry();
        await using var system = ActorSystem.Create("registry", SecureActors.Hocon.ConfigFactory.ParseString("actors.coordinated-shutdown.run-by-clr-shutdown-hook = off"));
        var echo = system.ActorOf(Props.Create(() => new TestActors.Echo()));
        registry.Register<EchoKey>(echo);
        Assert.Throws<DuplicateActorRegistryException>(() => registry.Register<EchoKey>(echo));
        Assert.False(registry.TryRegister<EchoKey>(echo));
        Assert.Throws<MissingActorRegistryEntryException>(() => registry.Get<MissingKey>());
    }

    [Fact]
    public async Task Registry_GetAsync_CompletesWhenRegistered()
    {
        var registry = new ActorRegistry();
        await using var system = ActorSystem.Create("registry", SecureActors.Hocon.ConfigFactory.ParseString("actors.coordinated-shutdown.run-by-clr-shutdown-hook = off"));
        var pending = registry.GetAsync<EchoKey>();
        Assert.False(pending.IsCompleted);
        var echo = system.ActorOf(Props.Create(() => new TestActors.Echo()));
        registry.Register<EchoKey>(echo);
        Assert.Same(echo, await pending);
    }
}
