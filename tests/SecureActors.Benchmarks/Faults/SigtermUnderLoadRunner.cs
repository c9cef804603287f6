using System.Diagnostics;
using System.Globalization;
using SecureActors.Benchmarks.Scenarios;
using SecureActors.Benchmarks.TlsPeer;
using SecureActors.Client;
using SecureActors.Client.Load;
using SecureActors.Client.Reporting;
using SecureActors.Protocol.Identity;

namespace SecureActors.Benchmarks.Faults;

/// <summary>
/// <c>faults-sigterm</c> (<c>make faults</c>; not in CI): the real <c>secure-actors serve</c> as a
/// child process under thousands of closed-loop, pipelined, verified sessions driven by the load
/// engine in this process, in three rounds against the same server:
/// <list type="number">
/// <item>clean: the bystander sessions in this process plus a second load-client process with a fifth
/// as many sessions (eight requests in flight each), stopped with SIGTERM; nothing may fail, and
/// afterwards the server reports 0 sessions and holds no more sockets than when idle;</item>
/// <item>clients killed: the same, but the second client is SIGKILLed by its PID; exactly its sessions
/// end without close_notify, the bystanders lose nothing, sockets are back, and RSS is within bounds
/// of what round 1 left;</item>
/// <item>SIGTERM: every session established and the pipeline full, SIGTERM to the server's PID: the
/// server exits with 0 within drain-timeout + close-notify-timeout + <see cref="ExitGrace"/>, every
/// session ends with close_notify, every reply that arrived verifies, and every request is either
/// answered or reported unanswered at close_notify.</item>
/// </list>
/// <code>faults-sigterm [--sessions 2000] [--pipeline 4] [--secure-actors out/secure-actors] [--out out/faults]</code>
/// Writes <c>summary.txt</c>, the server log and each round's JSON load report to the output
/// directory. Exit code 0 when every check holds, 1 otherwise, 2 for bad arguments. Every process is
/// started here and signalled by its PID only; every wait is bounded.
/// </summary>
internal static class SigtermUnderLoadRunner
{
    private const string CloseNotify = "close_notify (from server)";

    /// <summary>The server's log line for each session that completed its handshake.</summary>
    private const string EstablishedMark = " established 127.0.0.1:";

    /// <summary>The server's log lines for a session its peer ended without close_notify: established, or still in the handshake.</summary>
    private static readonly string[] CutMarks = ["without close_notify", "truncated during the handshake"];

    /// <summary>Descriptors other than sockets and assemblies the runtime may open on its own (thread-pool and timer plumbing).</summary>
    private const int FdSlack = 8;

    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SettleBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseNotifyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Beyond the drain and close_notify waits: terminating the actor system and the runtime on a loaded 2-core machine.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = Arguments.Parse(args);
        var sessions = arguments.Int("sessions", 2000);
        var pipeline = arguments.Int("pipeline", 4);
        var binary = Path.GetFullPath(arguments.String("secure-actors") ?? "out/secure-actors");
        var work = Path.GetFullPath(arguments.String("out") ?? "out/faults");
        arguments.RejectUnknown();
        if (!File.Exists(binary))
        {
            await Console.Error.WriteLineAsync($"[!] {binary} not found: run `make build` first");
            return 2;
        }

        Directory.CreateDirectory(work);
        var run = new Run(work, sessions, pipeline);
        try
        {
            await run.ExecuteAsync(binary);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            run.Check(false, $"the run stopped early: {e.Message}");
        }

        return await run.SummariseAsync();
    }

    private sealed class Run(string work, int sessions, int pipeline)
    {
        private readonly List<string> _lines = [];
        private readonly string _serverLog = Path.Combine(work, "server.log");
        private bool _failed;

        public void Check(bool holds, string what)
        {
            _failed |= !holds;
            Say($"{(holds ? "PASS" : "FAIL")}: {what}");
        }

        public async Task<int> SummariseAsync()
        {
            Say(_failed ? "FAIL: see above" : "PASS: every check held");
            await File.WriteAllLinesAsync(Path.Combine(work, "summary.txt"), _lines);
            Console.WriteLine($"[*] wrote {Path.Combine(work, "summary.txt")} (server log {_serverLog})");
            return _failed ? 1 : 0;
        }

        public async Task ExecuteAsync(string binary)
        {
            var keyFile = Path.Combine(work, "server_key.pem");
            var portFile = Path.Combine(work, "server.port");
            foreach (var stale in new[] { keyFile, portFile, _serverLog, Path.Combine(work, "second-client-stopped.log"), Path.Combine(work, "second-client-killed.log") })
            {
                File.Delete(stale);
            }

            using var identity = KeyFile.Generate(keyFile, 2048);
            var server = ChildProcess.Start(ServeCommand(binary, keyFile, portFile), _serverLog);
            await using (server)
            {
                var port = await server.WaitForFileAsync(portFile, StartBound) ?? throw new InvalidOperationException($"the server did not start (see {_serverLog})");
                var client = SecureClientOptions.Default with
                {
                    Host = "127.0.0.1",
                    Port = int.Parse(port, CultureInfo.InvariantCulture),
                    ServerFingerprint = identity.Fingerprint,
                };
                Say(string.Create(CultureInfo.InvariantCulture, $"faults-sigterm {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC: server pid {server.Pid} ({binary}) on 127.0.0.1:{port}; {sessions} sessions, closed loop, pipeline {pipeline}, 64-512 B, every reply verified"));
                var idle = await SettledAsync(server, "idle", ServerProcessSample.Take(server.Pid, _serverLog).Sockets);

                var warm = await TwoClientRoundAsync("round 1, clean", kill: false, server, client, binary, idle);
                var afterKill = await TwoClientRoundAsync("round 2, clients killed", kill: true, server, client, binary, idle);

                // The heap is garbage collected, so RSS does not fall back to the idle figure; what must hold
                // is that the round with a fault leaves the process no bigger than the same round without it.
                var tolerance = Math.Max(32 * 1024, warm.RssKiB / 5);
                Check(
                    afterKill.RssKiB <= warm.RssKiB + tolerance,
                    string.Create(CultureInfo.InvariantCulture, $"round 2: RSS after it {afterKill.RssKiB / 1024.0:F0} MiB within {tolerance / 1024.0:F0} MiB of RSS after round 1 {warm.RssKiB / 1024.0:F0} MiB (idle {idle.RssKiB / 1024.0:F0} MiB)"));
                await SigtermRoundAsync(server, client);
            }
        }

        private string[] ServeCommand(string binary, string keyFile, string portFile) =>
        [
            binary, "serve", "--port", "0", "--port-file", portFile,
            "-c", $"server.identity.key-file = \"{keyFile}\"",
            // Ramping thousands of sessions up on a busy 2-core machine keeps hundreds of handshakes
            // open; random early drop (a refusal, by design) would blur what the fault did.
            "-c", $"server.limits.max-handshaking = {Math.Max(1000, 2 * sessions)}",
            "-c", $"server.limits.early-drop-from = {Math.Max(1000, 2 * sessions)}",
            // The shipped values, spelled out because the exit bound is computed from them.
            "-c", $"server.shutdown.drain-timeout = {DrainTimeout.TotalSeconds} s",
            "-c", $"server.session.close-notify-timeout = {CloseNotifyTimeout.TotalSeconds} s",
            // A stats line every second: the server's own session count, read while settling.
            "-c", "server.stats.interval = 1 s",
        ];

        /// <summary>
        /// Rounds 1 and 2 have one shape: the bystanders' load in this process plus a second load-client
        /// process with a fifth as many sessions, eight requests in flight each. Round 1 stops that client
        /// with SIGTERM (it closes its sessions and must report a clean run); round 2 kills it with
        /// SIGKILL. Returns the server once it has settled.
        /// </summary>
        private async Task<ServerProcessSample> TwoClientRoundAsync(
            string round, bool kill, ChildProcess server, SecureClientOptions client, string binary, ServerProcessSample idle)
        {
            var second = Math.Max(1, sessions / 5);
            var cutBefore = CountLogLines(CutMarks);
            LoadReport report;
            ServerProcessSample peak;
            int? secondExit;
            await using (var load = new BackgroundLoad(client, sessions, pipeline))
            {
                await load.EstablishedAsync();
                var other = ChildProcess.Start(
                    [binary, "load", "--port", client.Port.ToString(CultureInfo.InvariantCulture), "--server-fingerprint", client.ServerFingerprint!,
                     "--connections", second.ToString(CultureInfo.InvariantCulture), "--pipeline", "8", "--rate", "0", "--messages", "0", "--duration", "120s", "--ramp-up", "2s"],
                    Path.Combine(work, $"second-client-{(kill ? "killed" : "stopped")}.log"));
                await using (other)
                {
                    // The bystanders are all up, so every further session the server establishes is the second client's.
                    var establishedBefore = CountLogLines(EstablishedMark);
                    await BackgroundLoad.UntilAsync(
                        () => other.HasExited || CountLogLines(EstablishedMark) >= establishedBefore + second,
                        StartBound,
                        () => $"only {CountLogLines(EstablishedMark) - establishedBefore} of the second client's {second} sessions came up");
                    await load.FlowingAsync(2L * sessions);
                    peak = ServerProcessSample.Take(server.Pid, _serverLog);
                    Check(!other.HasExited, $"{round}: the second client was still running when it was signalled");
                    await SignalAsync(other.Pid, kill ? "KILL" : "TERM");
                    secondExit = await other.WaitAsync(StartBound) ? other.ExitCode : null;
                }

                await load.FlowingAsync(5L * sessions);
                report = await load.StopAsync();
            }

            await JsonReport.WriteAsync(report, Path.Combine(work, kill ? "clients-killed.json" : "clean.json"), CancellationToken.None);
            var after = await SettledAsync(server, $"after {round}", idle.Sockets);
            var cut = CountLogLines(CutMarks) - cutBefore;
            Say($"{round}: a second load-client process with {second} established sessions, up to 8 requests in flight each, {(kill ? "killed (SIGKILL)" : "stopped (SIGTERM)")}, exit code {secondExit?.ToString(CultureInfo.InvariantCulture) ?? "none"}; the server logged {cut} sessions ended by their peer without close_notify; bystanders: {Describe(report)}; server at the peak: {peak}");
            Check(report.Clean, $"{round}: the {sessions} bystander sessions lost, duplicated, corrupted and reordered nothing; none failed");
            if (kill)
            {
                Check(secondExit is not null, $"{round}: the second client died on SIGKILL");
                Check(cut == second, $"{round}: the server saw exactly the second client's {second} sessions cut, no other ({cut})");
            }
            else
            {
                Check(secondExit == 0 && cut == 0, $"{round}: the second client closed every session cleanly on SIGTERM and reported a clean run (exit code {secondExit?.ToString(CultureInfo.InvariantCulture) ?? "none"}, {cut} cut)");
            }

            Check(
                after.Sockets <= idle.Sockets && after.Others <= idle.Others + FdSlack,
                $"{round}: sessions 0, sockets back to {after.Sockets} (idle {idle.Sockets}), other descriptors {after.Others} (idle {idle.Others}, slack {FdSlack}); assembly handles opened since idle {after.Assemblies - idle.Assemblies}");
            return after;
        }

        /// <summary>Round 3: SIGTERM with every session established and every pipeline full.</summary>
        private async Task SigtermRoundAsync(ChildProcess server, SecureClientOptions client)
        {
            await using var load = new BackgroundLoad(client, sessions, pipeline);
            await load.EstablishedAsync();
            await load.FlowingAsync(10L * sessions);
            var peak = ServerProcessSample.Take(server.Pid, _serverLog);
            var s = load.Statistics;
            // Replies first: reading the sent count second can only overstate what was in flight, never hide it.
            var answeredBefore = s.RepliesReceived;
            var verifiedBefore = s.RepliesOk.Value;
            var sentBefore = s.MessagesSent.Value;
            var signalled = Stopwatch.StartNew();
            await SignalAsync(server.Pid, "TERM");
            var exited = await server.WaitAsync(DrainTimeout + CloseNotifyTimeout + ExitGrace + StartBound);
            var stoppedIn = signalled.Elapsed;
            var report = await load.EndedAsync();
            await JsonReport.WriteAsync(report, Path.Combine(work, "sigterm.json"), CancellationToken.None);

            var v = report.Verification;
            var bound = DrainTimeout + CloseNotifyTimeout + ExitGrace;
            var closeNotified = report.Errors.GetValueOrDefault(CloseNotify);
            Say(string.Create(CultureInfo.InvariantCulture, $"round 3, SIGTERM: server at the moment of the signal: {peak}; {report.Sessions.HandshakesOk} sessions established; requests in flight at SIGTERM: {sentBefore - answeredBefore} (at most {sessions} x {pipeline} = {sessions * pipeline})"));
            Say(string.Create(CultureInfo.InvariantCulture, $"round 3, how they ended: those {sentBefore - answeredBefore} and {report.Messages.Sent - sentBefore} more sent before close_notify reached their session: {v.Ok - verifiedBefore} answered and verified, {v.Lost} reported to their client as unanswered at close_notify, {v.FailedInFlight} failed otherwise; {closeNotified} of {report.Sessions.HandshakesOk} sessions ended with close_notify; server exited {(exited ? server.ExitCode.ToString(CultureInfo.InvariantCulture) : "not at all")} {stoppedIn.TotalSeconds:F2} s after the signal"));
            Say($"round 3, whole run: {Describe(report)}");
            Say($"round 3, the server's shutdown log: {string.Join(" | ", LogLines("closing ", "server stopped"))}");
            Check(exited && server.ExitCode == 0, "round 3: the server exited with code 0");
            Check(stoppedIn <= bound, string.Create(CultureInfo.InvariantCulture, $"round 3: it exited within drain-timeout + close-notify-timeout + {ExitGrace.TotalSeconds:F0} s = {bound.TotalSeconds:F0} s (took {stoppedIn.TotalSeconds:F2} s)"));
            Check(
                report.Sessions.HandshakesOk == sessions && report.Sessions.HandshakesFailed == 0 && closeNotified == sessions && report.Errors.Count == 1,
                $"round 3: every one of the {sessions} sessions ended with close_notify and nothing else (errors: {ErrorList(report)})");
            Check(v.Duplicated == 0 && v.Corrupted == 0 && v.Reordered == 0 && v.FailedInFlight == 0, "round 3: every reply that arrived verified: none duplicated, corrupted or reordered, none failed other than by close_notify");
            Check(report.Messages.Sent == v.Ok + v.Lost, string.Create(CultureInfo.InvariantCulture, $"round 3: every request was answered or reported unanswered: {report.Messages.Sent} sent = {v.Ok} verified + {v.Lost} told at close_notify"));
            Check(v.Lost <= (long)sessions * pipeline, $"round 3: requests unanswered at close_notify ({v.Lost}) at most one pipeline per session ({sessions * pipeline})");
        }

        /// <summary>Waits (bounded) until the server reports 0 sessions and holds no more sockets than <paramref name="idleSockets"/>.</summary>
        private async Task<ServerProcessSample> SettledAsync(ChildProcess server, string when, int idleSockets)
        {
            var sample = ServerProcessSample.Take(server.Pid, _serverLog);
            var settling = Stopwatch.StartNew();
            await BackgroundLoad.UntilAsync(
                () => (sample = ServerProcessSample.Take(server.Pid, _serverLog)) is { Sessions: 0 } s && s.Sockets <= idleSockets,
                SettleBound,
                () => $"the server did not settle {when}: {sample}, idle sockets {idleSockets}");
            Say(string.Create(CultureInfo.InvariantCulture, $"server {when}: {sample} (settled in {settling.Elapsed.TotalSeconds:F1} s)"));
            return sample;
        }


        private int CountLogLines(params string[] texts) => LogLines(texts).Count;

        private List<string> LogLines(params string[] texts)
        {
            using var reader = new StreamReader(new FileStream(_serverLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            var found = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                if (texts.Any(text => line.Contains(text, StringComparison.Ordinal)))
                {
                    found.Add(line);
                }
            }

            return found;
        }

        private void Say(string line)
        {
            _lines.Add(line);
            Console.WriteLine(line);
        }

        private static string Describe(LoadReport r) => string.Create(
            CultureInfo.InvariantCulture,
            $"{r.Sessions.HandshakesOk} sessions (handshakes failed {r.Sessions.HandshakesFailed}, sessions failed {r.Sessions.Failed}), {r.Messages.Sent} messages sent, {r.Verification.Ok} verified, lost {r.Verification.Lost}, duplicated {r.Verification.Duplicated}, corrupted {r.Verification.Corrupted}, reordered {r.Verification.Reordered}, failed in flight {r.Verification.FailedInFlight}, errors [{ErrorList(r)}], {r.Throughput.MessagesPerSecond:F0} msg/s, rtt p99 {r.RoundTripLatency.P99Ms} ms");

        private static string ErrorList(LoadReport r) => string.Join("; ", r.Errors.Select(e => $"{e.Key}: {e.Value}"));

        /// <summary>Sends a signal to one process this run started, by its PID.</summary>
        private static async Task SignalAsync(int pid, string signal)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("could not run kill");
            await kill.WaitForExitAsync();
            if (kill.ExitCode != 0)
            {
                throw new InvalidOperationException($"kill -{signal} {pid} failed with {kill.ExitCode}");
            }
        }
    }
}
