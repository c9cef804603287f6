using System.Globalization;
using System.Text;

namespace SecureActors.Benchmarks.Scenarios;

/// <summary>
/// Turns the runs into Markdown: per scenario the median of the repetitions with the spread
/// (min–max), the ratio SecureActors / peer of the medians, issue 7's target for that ratio and
/// whether it was met; then the crypto floor and OpenSSL's handshake rate from the same run.
/// In an existing file the text between the two markers is replaced, otherwise it is appended.
/// </summary>
internal static class ScenarioReport
{
    public const string Begin = "<!-- bench-scenarios:results:begin (written by `make bench-scenarios`; edits here are overwritten) -->";
    public const string End = "<!-- bench-scenarios:results:end -->";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A measured quantity, the ratio target issue 7 sets for it (null: reported only), and which way is better.</summary>
    private sealed record Metric(string Label, Func<RunResult, double> Value, string Format, double? Target = null, bool HigherIsBetter = true, double? AbsoluteMax = null);

    public static async Task WriteAsync(string path, string section)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        var begin = existing.IndexOf("<!-- bench-scenarios:results:begin", StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        var block = $"{Begin}\n{section.TrimEnd()}\n{End}";
        var text = begin >= 0 && end > begin
            ? existing[..begin] + block + existing[(end + End.Length)..]
            : (existing.Length == 0 ? "" : existing.TrimEnd() + "\n\n") + block + "\n";
        await File.WriteAllTextAsync(path, text);
    }

    public static string Render(
        RunConditions conditions, IReadOnlyList<Scenario> scenarios, IReadOnlyList<RunResult> runs,
        IReadOnlyList<CryptoFloor> floors, IReadOnlyList<OpenSslReference.Result> openssl)
    {
        var md = new StringBuilder();
        md.AppendLine(Invariant, $"### Results: {(conditions.Quick ? "QUICK run (tiny shapes; checks the runner, numbers not meaningful)" : "full run")}, {conditions.StartedAt:yyyy-MM-dd HH:mm} UTC")
          .AppendLine()
          .AppendLine(Invariant, $"{conditions.Repetitions} repetition(s), {conditions.Elapsed.TotalMinutes:0.0} min; {conditions.Cores} cores ({conditions.Cpu}); .NET {conditions.Runtime}; {conditions.OpenSsl}; load average {conditions.LoadBefore} before, {conditions.LoadAfter} after (1/5/15 min).")
          .AppendLine(Invariant, $"Peer as seen by a default `openssl s_client`: {conditions.PeerCheck}.")
          .AppendLine("Runtime settings: our server as shipped (tiered compilation and dynamic PGO off); both load clients with tiered compilation off (fully optimised from the first call, as our load client ships).")
          .AppendLine()
          .AppendLine("Each cell: median of the repetitions (min–max). Ratio = SecureActors median / peer median; \"met\" compares it with issue 7's target.")
          .AppendLine()
          .AppendLine("| Scenario | Measure | SecureActors | TLS peer | Ratio | Target | Met |")
          .AppendLine("|---|---|---:|---:|---:|---:|:---:|");
        foreach (var scenario in scenarios)
        {
            var ours = Succeeded(runs, scenario, SystemUnderTest.SecureActors);
            var theirs = Succeeded(runs, scenario, SystemUnderTest.TlsPeer);
            foreach (var metric in MetricsOf(scenario))
            {
                md.AppendLine(Row(scenario, metric, ours, theirs));
            }

            if (scenario.Kind == ScenarioKind.Sessions)
            {
                var all = ours.Count > 0 && ours.All(r => r.Clean && r.PeakActiveSessions == scenario.Connections && r.Replies == scenario.TotalMessages);
                md.AppendLine(Invariant, $"| {scenario.Name} | all {scenario.Connections:N0} sessions open at once, every message answered, zero errors | {Sessions(ours)} | {Sessions(theirs)} | | all | {(ours.Count == 0 ? "—" : all ? "met" : "**not met**")} |");
            }
        }

        md.AppendLine()
          .AppendLine("| Scenario | Shape | Clean runs (SecureActors / peer) | Errors |")
          .AppendLine("|---|---|---|---|");
        foreach (var scenario in scenarios)
        {
            var mine = runs.Where(r => r.Scenario == scenario).ToList();
            var errors = string.Join("; ", mine.Where(r => !r.Clean || !r.Succeeded)
                .Select(r => $"{r.System} rep {r.Repetition}: {r.Failure ?? r.Errors}").Distinct());
            md.AppendLine(Invariant, $"| {scenario.Name} | {scenario.Shape} | {Clean(mine, SystemUnderTest.SecureActors)} / {Clean(mine, SystemUnderTest.TlsPeer)} | {(errors.Length == 0 ? "none" : errors)} |");
        }

        RenderFloor(md, scenarios, runs, floors, openssl);
        return md.ToString();
    }

    private static void RenderFloor(StringBuilder md, IReadOnlyList<Scenario> scenarios, IReadOnlyList<RunResult> runs,
        IReadOnlyList<CryptoFloor> floors, IReadOnlyList<OpenSslReference.Result> openssl)
    {
        if (floors.Count == 0)
        {
            return;
        }

        string Cell(Func<CryptoFloor, double> value) => Spread(floors.Select(value).ToList(), "0.0");
        md.AppendLine()
          .AppendLine("Crypto floor (one thread, same run; µs per operation):")
          .AppendLine()
          .AppendLine("| ECDH P-256 keygen + derive | (import of the client share, not in the floor) | RSA-2048 PSS sign | RSA-2048 PSS verify | handshake (all four, issue 7) | AES-128-GCM seal+open 64 B | seal+open 16 KiB |")
          .AppendLine("|---:|---:|---:|---:|---:|---:|---:|")
          .AppendLine(Invariant, $"| {Cell(f => f.EcdhMicros)} | {Cell(f => f.ShareImportMicros)} | {Cell(f => f.SignMicros)} | {Cell(f => f.VerifyMicros)} | {Cell(f => f.FullHandshakeMicros)} | {Cell(f => f.Gcm64Micros)} | {Cell(f => f.Gcm16KMicros)} |")
          .AppendLine()
          .AppendLine("Server CPU against that floor (server side: ECDH + sign, + verify with client authentication; per message one open + one seal):")
          .AppendLine()
          .AppendLine("| Scenario | floor | SecureActors | × floor | TLS peer | × floor |")
          .AppendLine("|---|---:|---:|---:|---:|---:|");
        var floor = Median(floors.Select(f => f.HandshakeMicros(false)).ToList());
        foreach (var scenario in scenarios)
        {
            var (unitFloor, unit, value) = scenario.Kind switch
            {
                ScenarioKind.Handshakes => (Median(floors.Select(f => f.HandshakeMicros(scenario.ClientAuth)).ToList()), "µs/connection", (Func<RunResult, double>)(r => r.CpuMillisPerConnection * 1000)),
                ScenarioKind.Messages => (Median(floors.Select(f => f.Gcm64Micros).ToList()), "µs/message", r => r.CpuMicrosPerMessage),
                ScenarioKind.Bulk => (Median(floors.Select(f => f.Gcm16KMicros).ToList()), "µs/message", r => r.CpuMicrosPerMessage),
                _ => (floor, "µs/connection", r => r.CpuMillisPerConnection * 1000),
            };
            var ours = Median(Succeeded(runs, scenario, SystemUnderTest.SecureActors).Select(value).ToList());
            var theirs = Median(Succeeded(runs, scenario, SystemUnderTest.TlsPeer).Select(value).ToList());
            md.AppendLine(Invariant, $"| {scenario.Name} ({unit}) | {unitFloor:0.0} | {ours:0.0} | {ours / unitFloor:0.0}× | {theirs:0.0} | {theirs / unitFloor:0.0}× |");
        }

        if (openssl.Count > 0)
        {
            md.AppendLine()
              .AppendLine(Invariant, $"OpenSSL native reference (`openssl s_server` + `openssl s_time -new`, RSA-2048, P-256, one connection at a time): " +
                $"{Spread(openssl.Select(o => o.HandshakesPerSecond).ToList(), "0")} handshakes/s, s_server CPU {Spread(openssl.Select(o => o.CpuMillisPerHandshake).ToList(), "0.000")} ms per handshake.");
        }
    }

    private static IEnumerable<Metric> MetricsOf(Scenario scenario) => scenario.Kind switch
    {
        ScenarioKind.Handshakes =>
        [
            new("handshakes/s", r => r.HandshakesPerSecond, "0", 1.5),
            new("server CPU per connection (ms)", r => r.CpuMillisPerConnection, "0.000", 0.6, HigherIsBetter: false),
            new("handshake p99 (ms)", r => r.HandshakeP99Ms, "0.00", 1.0, HigherIsBetter: false),
            new("handshake p50 (ms)", r => r.HandshakeP50Ms, "0.00"),
        ],
        ScenarioKind.Messages =>
        [
            new("messages/s", r => r.MessagesPerSecond, "0", scenario.Pipeline > 1 ? 2.0 : 1.5),
            new("server CPU per message (µs)", r => r.CpuMicrosPerMessage, "0.0", scenario.Pipeline > 1 ? null : 0.5, HigherIsBetter: false),
            new("round trip p99 (ms)", r => r.RoundTripP99Ms, "0.00", 1.0, HigherIsBetter: false),
            new("round trip p50 (ms)", r => r.RoundTripP50Ms, "0.00"),
        ],
        ScenarioKind.Bulk =>
        [
            new("MiB/s each way", r => r.MebibytesPerSecond, "0", 1.0),
            new("server CPU per message (µs)", r => r.CpuMicrosPerMessage, "0.0", 1.0, HigherIsBetter: false),
            new("round trip p99 (ms)", r => r.RoundTripP99Ms, "0.00"),
        ],
        _ =>
        [
            new("server RSS before (MiB)", r => r.RssBeforeKiB / 1024.0, "0"),
            new("server RSS peak (MiB)", r => r.RssPeakKiB / 1024.0, "0"),
            new("server memory per session (KiB)", r => r.KiBPerSession, "0.0", 0.25, HigherIsBetter: false, AbsoluteMax: 20),
            new("server CPU per connection (ms)", r => r.CpuMillisPerConnection, "0.000"),
        ],
    };

    private static string Row(Scenario scenario, Metric metric, List<RunResult> ours, List<RunResult> theirs)
    {
        var mine = ours.Select(metric.Value).ToList();
        var peer = theirs.Select(metric.Value).ToList();
        var ratio = Median(mine) / Median(peer);
        var hasRatio = mine.Count > 0 && peer.Count > 0 && double.IsFinite(ratio);
        var target = metric.Target is { } t ? (metric.HigherIsBetter ? "≥ " : "≤ ") + t.ToString("0.0#", Invariant) + "×"
            + (metric.AbsoluteMax is { } max ? $" and ≤ {max:0} " : "") : "";
        var met = metric.Target is not { } goal || !hasRatio ? (metric.Target is null ? "" : "—")
            : (metric.HigherIsBetter ? ratio >= goal : ratio <= goal) && (metric.AbsoluteMax is not { } cap || Median(mine) <= cap) ? "met" : "**not met**";
        return $"| {scenario.Name} | {metric.Label} | {Spread(mine, metric.Format)} | {Spread(peer, metric.Format)} | {(hasRatio ? ratio.ToString("0.00", Invariant) + "×" : "—")} | {target.Trim()} | {met} |";
    }

    private static List<RunResult> Succeeded(IReadOnlyList<RunResult> runs, Scenario scenario, SystemUnderTest system) =>
        [.. runs.Where(r => r.Scenario == scenario && r.System == system && r.Succeeded)];

    private static string Sessions(List<RunResult> runs) => runs.Count == 0 ? "—"
        : string.Join(", ", runs.Select(r => $"{r.PeakActiveSessions} open, {r.Replies} replies{(r.Clean ? "" : ", errors")}"));

    private static string Clean(List<RunResult> runs, SystemUnderTest system) =>
        $"{runs.Count(r => r.System == system && r.Succeeded && r.Clean)}/{runs.Count(r => r.System == system)}";

    private static string Spread(List<double> values, string format)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return "—";
        }

        var median = Median(finite).ToString(format, Invariant);
        return finite.Count == 1 ? median : $"{median} ({finite.Min().ToString(format, Invariant)}–{finite.Max().ToString(format, Invariant)})";
    }

    private static double Median(List<double> values)
    {
        var finite = values.Where(double.IsFinite).Order().ToList();
        if (finite.Count == 0)
        {
            return double.NaN;
        }

        return finite.Count % 2 == 1 ? finite[finite.Count / 2] : (finite[(finite.Count / 2) - 1] + finite[finite.Count / 2]) / 2;
    }
}
