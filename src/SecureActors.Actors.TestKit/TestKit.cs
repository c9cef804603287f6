using SecureActors.Actors.Actor;
using SecureActors.Actors.Scheduling;
using SecureActors.Hocon;
using Serilog;
using Xunit;
using Xunit.Abstractions;

namespace SecureActors.Actors.TestKit;

/// <summary>
/// Base class of actor tests (xunit). Each test gets its own actor system named <c>test</c>
/// (the test's config over the TestKit's reference.conf over the runtime's), a test actor that is
/// the implicit sender of <c>Tell</c> in the test, log events routed to <see cref="TestKitBase.EventFilter"/>
/// and the xunit output, and the system is terminated when the test ends.
/// </summary>
public abstract class TestKit : TestKitBase, IAsyncLifetime
{
    private const string ReferenceResource = "SecureActors.Actors.TestKit.reference.conf";

    /// <summary>A test with the default configuration.</summary>
    protected TestKit(ITestOutputHelper? output = null)
        : this((Config?)null, output)
    {
    }

    /// <summary>A test whose configuration is <paramref name="hocon"/> over the defaults.</summary>
    protected TestKit(string hocon, ITestOutputHelper? output = null)
        : this(ConfigFactory.ParseString(hocon, "test config"), output)
    {
    }

    /// <summary>A test whose configuration is <paramref name="config"/> over the defaults; <paramref name="scheduler"/> replaces the real scheduler (e.g. a <see cref="TestScheduler"/>).</summary>
    protected TestKit(Config? config, ITestOutputHelper? output = null, IScheduler? scheduler = null)
        : this(Start(config, output, scheduler))
    {
    }

    private TestKit(Started started)
        : base(started.System, started.Settings, started.Sink, "testActor")
    {
        // Tell(message) in the test body then has the test actor as sender.
        ActorRefExtensions.SetAmbientSender(TestActor);
    }

    /// <summary>The TestKit's reference configuration (the <c>actors.test</c> defaults).</summary>
    public static Config ReferenceConfig { get; } = ConfigFactory.FromResource(typeof(TestKit).Assembly, ReferenceResource);

    private sealed record Started(ActorSystem System, TestKitSettings Settings, TestLogSink Sink);

    private static Started Start(Config? config, ITestOutputHelper? output, IScheduler? scheduler)
    {
        var full = (config ?? ConfigFactory.Empty).WithFallback(ReferenceConfig).WithFallback(ActorSystem.ReferenceConfig);
        var settings = TestKitSettings.FromConfig(full);
        var sink = new TestLogSink(output);
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        var setup = new ActorSystemSetup
        {
            Logger = logger,
            SchedulerFactory = scheduler is null ? null : () => scheduler,
        };
        return new Started(ActorSystem.Create("test", full, setup), settings, sink);
    }

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Terminates the test's system, waiting up to <c>default-timeout</c> (dilated).</summary>
    public virtual async Task DisposeAsync()
    {
        var terminated = Sys.Terminate();
        await Task.WhenAny(terminated, Task.Delay(Dilated(TestKitSettings.DefaultTimeout))).ConfigureAwait(false);
    }
}
