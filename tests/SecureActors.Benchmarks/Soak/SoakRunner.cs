using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using SecureActors.Client;
using SecureActors.Client.Load;

namespace SecureActors.Benchmarks.Soak;

/// <summary>
/// <c>make soak</c>: a bounded churn run (connect, talk, disconnect at a steady rate) against a server
/// in a child process, sampling the child's RSS, live GC heap, descriptors, threads and session
/// actors every few seconds into <c>soak.csv</c> and <c>soak.svg</c>. Exit code 1 when a series keeps
/// growing over the second half (see <see cref="SoakTrend"/>) or when the load lost, duplicated,
/// corrupted or reordered anything; 0 otherwise.
/// </summary>
/// <remarks>
/// Arguments: <c>--minutes M</c> (default 30), <c>--interval S</c> seconds between samples (default 5),
/// <c>--connections N</c> (40), <c>--rate R</c> messages/s over all sessions (400),
/// <c>--reconnect-every K</c> messages per session before it reconnects (20: R/K handshakes/s),
/// <c>--out DIR</c> (out/soak). <c>--serve-child</c> is the child's own entry point.
/// </remarks>
public static class SoakRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Contains("--serve-child"))
        {
            return await SoakServer.RunAsync();
        }

        var minutes = Option(args, "--minutes", 30.0);
        var interval = TimeSpan.FromSeconds(Option(args, "--interval", 5.0));
        var connections = (int)Option(args, "--connections", 40.0);
        var rate = Option(args, "--rate", 400.0);
        var reconnectEvery = (long)Option(args, "--reconnect-every", 20.0);
        var outDir = OptionText(args, "--out", "out/soak");
        var duration = TimeSpan.FromMinutes(minutes);
        Directory.CreateDirectory(outDir);

        using var child = StartChild();
        var ready = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? throw new InvalidOperationException("the soak server did not start");
        var parts = ready.Split(' ');
        if (parts is not ["READY", var port, var fingerprint])
        {
            throw new InvalidOperationException($"unexpected line from the soak server: {ready}");
        }

        Console.WriteLine($"[*] soak: server pid {child.Id} on 127.0.0.1:{port}; {connections} sessions, {rate} msg/s, reconnect every {reconnectEvery} ({rate / reconnectEvery:F0} handshakes/s), {minutes} min, a sample every {interval.TotalSeconds} s");
        var clientOptions = SecureClientOptions.Default with
        {
            Host = "127.0.0.1",
            Port = int.Parse(port, CultureInfo.InvariantCulture),
            ServerFingerprint = fingerprint,
        };
        var settings = LoadSettings.FromConfig(SecureClientOptions.ReferenceConfig) with
        {
            Connections = connections,
            RampUp = TimeSpan.FromSeconds(5),
            MessagesPerConnection = 0,
            Duration = duration,
            MaxDuration = duration + TimeSpan.FromMinutes(1),
            Pipeline = 2,
            Rate = rate,
            ReconnectEvery = reconnectEvery,
            Size = 64,
            SizeMax = 1024,
        };

        var samples = new List<SoakSample>();
        var csvPath = Path.Combine(outDir, "soak.csv");
        await using (var csv = new StreamWriter(csvPath))
        {
            await csv.WriteLineAsync(SoakSample.CsvHeader);
            using var runner = new LoadRunner(clientOptions, settings);
            var started = Stopwatch.GetTimestamp();
            var run = runner.RunAsync();
            using var tick = new PeriodicTimer(interval);
            // Bounded: the run ends by its duration (max-duration at worst); one sample per tick until then.
            while (!run.IsCompleted && await tick.WaitForNextTickAsync())
            {
                await child.StandardInput.WriteLineAsync("sample");
                await child.StandardInput.FlushAsync();
                var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("the soak server exited");
                var sample = SoakSample.Parse(line) with
                {
                    Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
                    Replies = runner.Statistics.RepliesReceived,
                };
                samples.Add(sample);
                await csv.WriteLineAsync(sample.ToCsv());
                await csv.FlushAsync();
                Console.WriteLine($"[*] {sample.Seconds,7:F0} s  rss {sample.RssBytes >> 20} MiB  live heap {sample.LiveHeapBytes >> 20} MiB  fds {sample.Fds}  threads {sample.Threads}  sessions {sample.SessionActors}  replies {sample.Replies}");
            }

            var report = await run;
            await child.StandardInput.WriteLineAsync("stop");
            await child.StandardInput.FlushAsync();
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            var trends = SoakTrend.Analyse(samples);
            await File.WriteAllTextAsync(Path.Combine(outDir, "soak.svg"), SoakChart.Render(samples, trends));
            var v = report.Verification;
            var summary = new List<string>
            {
                string.Create(CultureInfo.InvariantCulture, $"soak: {report.ElapsedSeconds:F0} s, {samples.Count} samples, handshakes {report.Sessions.HandshakesOk} (failed {report.Sessions.HandshakesFailed}), messages {report.Messages.Sent} sent / {v.Ok} verified, lost {v.Lost}, duplicated {v.Duplicated}, corrupted {v.Corrupted}, reordered {v.Reordered}, failed in flight {v.FailedInFlight}, sessions failed {report.Sessions.Failed}, server exit {child.ExitCode}"),
            };
            summary.AddRange(trends.Select(t => t.ToString()));
            var ok = report.Clean && child.ExitCode == 0 && samples.Count >= 4 && trends.All(t => t.Bounded);
            summary.Add(ok ? "PASS: every trend bounded, nothing lost" : "FAIL: see above");
            await File.WriteAllLinesAsync(Path.Combine(outDir, "soak-summary.txt"), summary);
            foreach (var line in summary)
            {
                Console.WriteLine(line);
            }

            Console.WriteLine($"[*] wrote {csvPath}, {Path.Combine(outDir, "soak.svg")}, {Path.Combine(outDir, "soak-summary.txt")}");
            return ok ? 0 : 1;
        }
    }

    /// <summary>Starts this same program as the soak server (apphost, or <c>dotnet app.dll</c>).</summary>
    private static Process StartChild()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add("soak");
        start.ArgumentList.Add("--serve-child");
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the soak server");
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
