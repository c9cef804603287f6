using System.Globalization;
using SecureActors.Client.Load;
using Spectre.Console;

namespace SecureActors.Client.Reporting;

/// <summary>The load client's terminal output: live progress while it runs, then the final tables and histogram.</summary>
internal static class ConsoleReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A console writing to <paramref name="output"/>, with colours only where it is a terminal.</summary>
    public static IAnsiConsole CreateConsole(TextWriter output, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive)
        {
            // A log file or CI console has no width to detect; 80 columns would wrap the tables.
            console.Profile.Width = 120;
        }

        return console;
    }

    /// <summary>Shows progress until <paramref name="run"/> completes: a live panel on a terminal, a line per second otherwise.</summary>
    public static async Task<LoadReport> ShowProgressAsync(IAnsiConsole console, LoadRunner runner, Task<LoadReport> run)
    {
        if (console.Profile.Capabilities.Interactive)
        {
            await console.Live(Progress(runner)).AutoClear(true).StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(runner.Settings.ProgressInterval)).ConfigureAwait(false);
                    context.UpdateTarget(Progress(runner));
                    context.Refresh();
                }
            }).ConfigureAwait(false);
        }
        else
        {
            while (!run.IsCompleted)
            {
                if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false) != run)
                {
                    console.WriteLine(ProgressLine(runner));
                }
            }
        }

        return await run.ConfigureAwait(false);
    }

    public static string ProgressLine(LoadRunner runner)
    {
        var s = runner.Statistics;
        var last = LastPoint(runner);
        var remaining = runner.Settings.EffectiveDuration - runner.Elapsed;
        return string.Create(Invariant,
            $"[*] {runner.Elapsed.TotalSeconds,6:0.0}s  sessions {Interlocked.Read(ref s.HandshakesOk)} ok / {Interlocked.Read(ref s.SessionsActive)} active / {Interlocked.Read(ref s.SessionsFailed)} failed / {Interlocked.Read(ref s.BusyRefusals)} busy  "
            + $"replies {s.RepliesReceived}  {last?.RepliesPerSecond ?? 0:0}/s  p99 {last?.P99Ms ?? 0:0.###} ms  bound in {Math.Max(0, remaining.TotalSeconds):0}s");
    }

    public static void WriteFinal(IAnsiConsole console, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        var summary = new Table().Border(TableBorder.Rounded).Title("[bold]SecureActors load report[/]")
            .AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        Row(summary, "target", $"{report.Target.Host}:{report.Target.Port}");
        Row(summary, "shape", $"{report.Settings.Connections} connections, {report.Settings.Loop} loop, pipeline {report.Settings.Pipeline}, size {report.Settings.SizeMin}..{report.Settings.SizeMax} B"
            + (report.Settings.HandshakeOnly ? ", handshake only" : string.Empty)
            + (report.Settings.ReconnectEvery > 0 ? $", reconnect every {report.Settings.ReconnectEvery}" : string.Empty)
            + (report.Settings.StartTogether ? ", clock started with every session up" : string.Empty)
            + (report.Settings.WarmupSessions > 0 ? $", after an unmeasured warm-up of {report.Settings.WarmupSessions} × {report.Settings.WarmupMessagesPerSession}" : string.Empty));
        Row(summary, "elapsed", F(report.ElapsedSeconds, "0.00") + " s" + (report.Interrupted ? " (interrupted)" : string.Empty));
        Row(summary, "handshakes", $"{report.Sessions.HandshakesOk} ok, {report.Sessions.HandshakesFailed} failed ({F(report.Throughput.HandshakesPerSecond, "0.0")}/s)");
        Row(summary, "sessions failed", report.Sessions.Failed.ToString(Invariant));
        if (report.Sessions.BusyRefusals > 0)
        {
            Row(summary, "server busy", BusyLine(report.Sessions));
        }

        Row(summary, "messages", $"{report.Messages.Sent} sent, {report.Messages.Received} received ({F(report.Throughput.MessagesPerSecond, "0.0")}/s)");
        Row(summary, "throughput", $"{F(report.Throughput.MegabytesPerSecondSent, "0.000")} MB/s out, {F(report.Throughput.MegabytesPerSecondReceived, "0.000")} MB/s in");
        var v = report.Verification;
        Row(summary, "verification", $"{v.Ok} ok, {v.Lost} lost, {v.Duplicated} duplicated, {v.Corrupted} corrupted, {v.Reordered} reordered, {v.FailedInFlight} failed in flight");
        console.Write(summary);

        var latency = new Table().Border(TableBorder.Rounded).Title("latency (ms)").AddColumn("");
        foreach (var column in new[] { "count", "p50", "p90", "p99", "p99.9", "max", "mean" })
        {
            latency.AddColumn(new TableColumn(column).RightAligned());
        }

        LatencyRow(latency, "handshake", report.HandshakeLatency);
        LatencyRow(latency, "round trip", report.RoundTripLatency);
        console.Write(latency);

        if (report.Errors.Count > 0)
        {
            var errors = new Table().Border(TableBorder.Rounded).Title("[red]errors by kind[/]").AddColumn("kind").AddColumn(new TableColumn("count").RightAligned());
            foreach (var (kind, count) in report.Errors)
            {
                errors.AddRow(Markup.Escape(kind), count.ToString(Invariant));
            }

            console.Write(errors);
        }

        var bars = report.RoundTripLatency.Count > 0 ? report.RoundTripHistogram : report.HandshakeHistogram;
        if (bars.Count > 0)
        {
            console.Write(Histogram(bars, report.RoundTripLatency.Count > 0 ? "round-trip latency histogram (ms)" : "handshake latency histogram (ms)"));
        }

        console.MarkupLine(report.Clean
            ? "[green][[+]] clean run: every reply verified, no session failed[/]"
            : "[red][[!]] run NOT clean: see verification and errors above (exit code 1)[/]");
    }

    /// <summary>server_busy refusals, kept apart from errors: retried ones are not failures.</summary>
    public static string BusyLine(SessionCounts sessions) => string.Create(Invariant,
        $"{sessions.BusyRefusals} refusals (server at capacity): {sessions.BusyRetries} retried, {sessions.BusyGaveUp} gave up");

    private static BarChart Histogram(IReadOnlyList<HistogramBar> bars, string title)
    {
        var chart = new BarChart().Label(title).Width(72);
        foreach (var bar in bars.Where(b => b.Count > 0))
        {
            chart.AddItem($"{F(bar.FromMs, "0.###"),9} – {F(bar.ToMs, "0.###"),-9}", bar.Count, Color.SteelBlue);
        }

        return chart;
    }

    private static Panel Progress(LoadRunner runner)
    {
        var s = runner.Statistics;
        var last = LastPoint(runner);
        var remaining = runner.Settings.EffectiveDuration - runner.Elapsed;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]elapsed[/]", F(runner.Elapsed.TotalSeconds, "0.0") + " s" + $" (stops by itself within {F(Math.Max(0, remaining.TotalSeconds), "0")} s)");
        grid.AddRow("[bold]sessions[/]", $"{Interlocked.Read(ref s.HandshakesOk)} established, {Interlocked.Read(ref s.SessionsActive)} active, {Interlocked.Read(ref s.SessionsFailed)} failed");
        if (Interlocked.Read(ref s.BusyRefusals) is > 0 and var refusals)
        {
            grid.AddRow("[bold]server busy[/]", $"{refusals} refusals, {Interlocked.Read(ref s.BusyRetries)} retried, {Interlocked.Read(ref s.BusyGaveUp)} gave up");
        }

        grid.AddRow("[bold]messages[/]", $"{s.MessagesSent.Value} sent, {s.RepliesReceived} replies, {F(last?.RepliesPerSecond ?? 0, "0")}/s");
        grid.AddRow("[bold]round trip[/]", $"p50 {F(last?.P50Ms ?? 0, "0.###")} ms, p99 {F(last?.P99Ms ?? 0, "0.###")} ms (last interval)");
        var anomalies = Interlocked.Read(ref s.Lost) + Interlocked.Read(ref s.Corrupted) + Interlocked.Read(ref s.Duplicated) + Interlocked.Read(ref s.Reordered);
        grid.AddRow("[bold]anomalies[/]", anomalies == 0 && s.Errors.IsEmpty ? "[green]none[/]" : $"[red]{anomalies} bad replies, {s.Errors.Values.Sum()} errors[/]");
        return new Panel(grid).Header("secure-actors load").Border(BoxBorder.Rounded);
    }

    private static TimelinePoint? LastPoint(LoadRunner runner)
    {
        lock (runner.Statistics.Timeline)
        {
            return runner.Statistics.Timeline.Count > 0 ? runner.Statistics.Timeline[^1] : null;
        }
    }

    private static void Row(Table table, string metric, string value) => table.AddRow(Markup.Escape(metric), Markup.Escape(value));

    private static void LatencyRow(Table table, string name, LatencySummary l) =>
        table.AddRow(name, l.Count.ToString(Invariant), F(l.P50Ms, "0.###"), F(l.P90Ms, "0.###"), F(l.P99Ms, "0.###"), F(l.P999Ms, "0.###"), F(l.MaxMs, "0.###"), F(l.MeanMs, "0.###"));

    private static string F(double value, string format) => value.ToString(format, Invariant);
}
