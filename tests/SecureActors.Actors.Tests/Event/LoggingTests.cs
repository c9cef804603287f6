using SecureActors.Actors.Actor;
using SecureActors.Actors.Event;
using Serilog.Core;
using Serilog.Events;
using Xunit.Abstractions;

namespace SecureActors.Actors.Tests.Event;

public sealed class LoggingTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact]
    public async Task GetLogger_SerilogTemplate_CarriesActorPathProperty()
    {
        var sink = new CollectingSink();
        var logger = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        await using var system = ActorSystem.Create("logging", SecureActors.Hocon.ConfigFactory.ParseString("actors.loglevel = INFO"), new ActorSystemSetup { Logger = logger });
        var actor = system.ActorOf(Props.Create(() => new Talker()), "talker");
        actor.Tell("hello", TestActor);
        await AwaitConditionAsync(() => sink.Events.Any(e => e.MessageTemplate.Text == "Got {Word}"));
        var logged = sink.Events.Single(e => e.MessageTemplate.Text == "Got {Word}");
        Assert.Equal("\"hello\"", logged.Properties["Word"].ToString());
        Assert.Equal("\"sa://logging/user/talker\"", logged.Properties["ActorPath"].ToString());
        Assert.DoesNotContain(sink.Events, e => e.Level == LogEventLevel.Debug);
    }

    [Fact]
    public async Task LogLevel_FromConfig_FiltersLowerLevels()
    {
        var sink = new CollectingSink();
        var logger = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        await using var system = ActorSystem.Create("quiet", SecureActors.Hocon.ConfigFactory.ParseString("actors.loglevel = ERROR"), new ActorSystemSetup { Logger = logger });
        system.ActorOf(Props.Create(() => new Talker())).Tell("hello", TestActor);
        await AwaitConditionAsync(() => sink.Events.Any(e => e.Level == LogEventLevel.Error));
        Assert.DoesNotContain(sink.Events, e => e.Level < LogEventLevel.Error);
    }

    [Fact]
    public async Task DeadLetters_AreLoggedAtMostTheConfiguredNumberOfTimes()
    {
        var sink = new CollectingSink();
        var logger = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        await using var system = ActorSystem.Create("dead", SecureActors.Hocon.ConfigFactory.ParseString("actors.log-dead-letters = 3"), new ActorSystemSetup { Logger = logger });
        for (var i = 0; i < 10; i++)
        {
            system.DeadLetters.Tell(i, TestActor);
        }

        Assert.Equal(3, sink.Events.Count(e => e.MessageTemplate.Text.Contains("dead letters encountered", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DeadLetters_MessageMarkedForSuppression_PublishedAsSuppressedAndNeverLogged()
    {
        var sink = new CollectingSink();
        var logger = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        await using var system = ActorSystem.Create("suppressed", SecureActors.Hocon.ConfigFactory.ParseString("actors.loglevel = DEBUG"), new ActorSystemSetup { Logger = logger });
        var all = CreateTestProbe("all");
        var plain = CreateTestProbe("plain");
        system.EventStream.Subscribe(all.Ref, typeof(AllDeadLetters));
        system.EventStream.Subscribe(plain.Ref, typeof(DeadLetter));

        system.DeadLetters.Tell(new LateNotice(), TestActor);
        system.DeadLetters.Tell("an ordinary letter", TestActor);

        var suppressed = await all.ExpectMsgAsync<SuppressedDeadLetter>();
        Assert.IsType<LateNotice>(suppressed.Message);
        Assert.Equal("an ordinary letter", (await all.ExpectMsgAsync<DeadLetter>()).Message);
        Assert.Equal("an ordinary letter", (await plain.ExpectMsgAsync<DeadLetter>()).Message);
        await plain.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, sink.Events.Count(e => e.MessageTemplate.Text.Contains("dead letters encountered", StringComparison.Ordinal)));
        Assert.DoesNotContain(sink.Events, e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(nameof(LateNotice), StringComparison.Ordinal));
    }

    private sealed record LateNotice : IDeadLetterSuppression;

    [Fact]
    public void ForContext_SeveralPropertiesAtOnce_EveryEventCarriesAllOfThem()
    {
        var sink = new CollectingSink();
        var serilog = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        ILoggingAdapter adapter = new SerilogLoggingAdapter(serilog, LogLevel.Debug);

        var log = adapter.ForContext([new("SessionId", 42L), new("Remote", "127.0.0.1:5000"), new("Fingerprint", null)]);
        log.Info("closed");

        var logged = Assert.Single(sink.Events);
        Assert.Equal("42", logged.Properties["SessionId"].ToString());
        Assert.Equal("\"127.0.0.1:5000\"", logged.Properties["Remote"].ToString());
        Assert.Equal("null", logged.Properties["Fingerprint"].ToString());
    }

    [Fact]
    public void LogLevel_Parse_AcceptsAkkaNames()
    {
        Assert.Equal(LogLevel.Warning, SerilogLoggingAdapter.Parse("WARNING"));
        Assert.Equal(LogLevel.Off, SerilogLoggingAdapter.Parse("off"));
        Assert.Throws<ArgumentException>(() => SerilogLoggingAdapter.Parse("LOUD"));
    }

    private sealed class Talker : ReceiveActor
    {
        private readonly ILoggingAdapter _log = Context.GetLogger();

        public Talker() => Receive<string>(word =>
        {
            _log.Debug("Debug {Word}", word);
            _log.Info("Got {Word}", word);
            _log.Error("Error {Word}", word);
        });
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<LogEvent> _events = new();

        public IReadOnlyCollection<LogEvent> Events => _events;

        public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
    }
}
