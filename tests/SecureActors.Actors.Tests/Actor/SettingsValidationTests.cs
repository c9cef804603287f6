using SecureActors.Actors.Actor;
using SecureActors.Hocon;

namespace SecureActors.Actors.Tests.Actor;

/// <summary>A setting the runtime cannot work with is a ConfigException naming where it was written, its path and the rule.</summary>
public sealed class SettingsValidationTests
{
    private static Config AppConf(string text) => ConfigFactory.ParseString(text, new ConfigParseOptions { OriginDescription = "app.conf" });

    [Fact]
    public void UnknownLogLevel_RefusedAtCreate()
    {
        var error = Assert.Throws<ConfigException>(() => ActorSystem.Create("bad-level", AppConf("actors.loglevel = LOUD")));

        Assert.StartsWith("app.conf:1: actors.loglevel = LOUD is not a log level", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PoolDeploymentWithoutInstances_RefusedAtCreate()
    {
        var error = Assert.Throws<ConfigException>(() => ActorSystem.Create(
            "bad-pool",
            AppConf("# pools\nactors.actor.deployment.\"/workers\" { router = round-robin-pool, nr-of-instances = 0 }")));

        Assert.StartsWith("app.conf:2: actors.actor.deployment.\"/workers\".nr-of-instances = 0 must be at least 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my-dispatcher { type = Dispatcher, throughput = 0 }", "app.conf:1: my-dispatcher.throughput = 0 must be at least 1")]
    [InlineData("my-dispatcher {\n  type = ForkJoinDispatcher\n  dedicated-thread-pool.thread-count = -2\n}", "app.conf:3: my-dispatcher.dedicated-thread-pool.thread-count = -2 must be at least 1")]
    public async Task InvalidDispatcher_ReportedByValidate_BeforeAnyActorUsesIt(string section, string expected)
    {
        await using var system = ActorSystem.Create("bad-dispatcher", AppConf(section));

        var error = Assert.Throws<ConfigException>(() => system.Dispatchers.Validate("my-dispatcher"));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public async Task ValidDispatcher_PassesValidate()
    {
        await using var system = ActorSystem.Create("good-dispatcher", AppConf("my-dispatcher { type = ForkJoinDispatcher, throughput = 5, dedicated-thread-pool.thread-count = 1 }"));

        system.Dispatchers.Validate("my-dispatcher");

        Assert.True(system.Dispatchers.HasDispatcher("my-dispatcher"));
    }
}
