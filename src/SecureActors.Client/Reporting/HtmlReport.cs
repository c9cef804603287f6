using System.Globalization;
using System.Net;
using System.Text;
using SecureActors.Client.Load;

namespace SecureActors.Client.Reporting;

/// <summary>
/// Writes a <see cref="LoadReport"/> as one self-contained HTML page (<c>--html FILE</c>): inline CSS
/// and inline SVG charts (latency over time, throughput over time, latency histograms), no scripts and
/// no network assets, so it can be attached to a CI run or mailed as is.
/// </summary>
internal static class HtmlReport
{
    private const int Width = 760;
    private const int Height = 260;
    private const int Left = 60;
    private const int Right = 20;
    private const int Top = 20;
    private const int Bottom = 40;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>SecureActors load report</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th:first-child,td:first-child{text-align:left}")
            .Append(".ok{color:#1a7f37}.bad{color:#cf222e}svg{background:#fafafa;border:1px solid #ddd;margin:0.5em 0}")
            .Append("</style></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>SecureActors load report</h1>\n<p>{E(report.Target.Host)}:{report.Target.Port} — started {report.StartedAt:u}, {N(report.ElapsedSeconds)} s");
        html.Append(report.Interrupted ? " (interrupted)" : string.Empty).Append("</p>\n");
        html.Append(report.Clean
            ? "<p class=\"ok\"><b>Clean run:</b> every reply verified, no session failed (exit code 0).</p>\n"
            : "<p class=\"bad\"><b>Run NOT clean</b> (exit code 1): see verification and errors.</p>\n");

        var s = report.Settings;
        Table(html, "Run", [
            ["connections", s.Connections.ToString(Invariant)],
            ["loop", s.Loop + (s.TargetRate > 0 ? $" at {N(s.TargetRate)} msg/s" : string.Empty)],
            ["pipeline", s.Pipeline.ToString(Invariant)],
            ["message size", $"{s.SizeMin}..{s.SizeMax} B"],
            ["handshake only", s.HandshakeOnly ? "yes" : "no"],
            ["reconnect every", s.ReconnectEvery.ToString(Invariant)],
            ["clock starts", s.StartTogether ? "when every session is up (start-together)" : "with the run"],
            ["warm-up (not measured)", s.WarmupSessions > 0 ? $"{s.WarmupSessions} sessions × {s.WarmupMessagesPerSession}" : "none"],
            ["handshakes", $"{report.Sessions.HandshakesOk} ok, {report.Sessions.HandshakesFailed} failed ({N(report.Throughput.HandshakesPerSecond)}/s)"],
            ["sessions failed", report.Sessions.Failed.ToString(Invariant)],
            ["server busy", ConsoleReport.BusyLine(report.Sessions)],
            ["messages", $"{report.Messages.Sent} sent, {report.Messages.Received} received ({N(report.Throughput.MessagesPerSecond)}/s)"],
            ["throughput", $"{N(report.Throughput.MegabytesPerSecondSent)} MB/s out, {N(report.Throughput.MegabytesPerSecondReceived)} MB/s in"],
        ]);
        var v = report.Verification;
        Table(html, "Verification", [
            ["ok", v.Ok.ToString(Invariant)], ["lost", v.Lost.ToString(Invariant)], ["duplicated", v.Duplicated.ToString(Invariant)],
            ["corrupted", v.Corrupted.ToString(Invariant)], ["reordered", v.Reordered.ToString(Invariant)], ["failed in flight", v.FailedInFlight.ToString(Invariant)],
        ]);
        html.Append("<h2>Latency (ms)</h2>\n<table><tr><th></th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th></tr>\n");
        foreach (var (name, l) in new[] { ("handshake", report.HandshakeLatency), ("round trip", report.RoundTripLatency) })
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{name}</td><td>{l.Count}</td><td>{N(l.P50Ms)}</td><td>{N(l.P90Ms)}</td><td>{N(l.P99Ms)}</td><td>{N(l.P999Ms)}</td><td>{N(l.MaxMs)}</td><td>{N(l.MeanMs)}</td></tr>\n");
        }

        html.Append("</table>\n");
        if (report.Errors.Count > 0)
        {
            Table(html, "Errors by kind", [.. report.Errors.Select(e => new[] { e.Key, e.Value.ToString(Invariant) })]);
        }

        var t = report.Timeline;
        if (t.Count > 0)
        {
            html.Append("<h2>Round-trip latency over time</h2>\n");
            LineChart(html, "elapsed (s)", "ms", [.. t.Select(p => p.ElapsedSeconds)], [("p50", "#1f77b4", [.. t.Select(p => p.P50Ms)]), ("p99", "#ff7f0e", [.. t.Select(p => p.P99Ms)]), ("max", "#d62728", [.. t.Select(p => p.MaxMs)])]);
            html.Append("<h2>Throughput over time</h2>\n");
            LineChart(html, "elapsed (s)", "replies/s", [.. t.Select(p => p.ElapsedSeconds)], [("replies/s", "#2ca02c", [.. t.Select(p => p.RepliesPerSecond)])]);
        }

        Histogram(html, "Round-trip latency histogram", report.RoundTripHistogram);
        Histogram(html, "Handshake latency histogram", report.HandshakeHistogram);
        html.Append("<p><small>Percentiles from a log-linear histogram (≤ 0.1 % relative error). Open-loop latency is measured from each message's scheduled send time.</small></p>\n</body></html>\n");
        return html.ToString();
    }

    public static Task WriteAsync(LoadReport report, string path, CancellationToken cancellationToken = default) =>
        File.WriteAllTextAsync(path, Render(report), Encoding.UTF8, cancellationToken);

    private static void Table(StringBuilder html, string title, IReadOnlyList<string[]> rows)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(title)}</h2>\n<table>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(E(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void LineChart(StringBuilder html, string xLabel, string yLabel, double[] xs, (string Name, string Color, double[] Ys)[] series)
    {
        var xMax = Math.Max(xs.Max(), 1e-9);
        var yMax = Math.Max(series.SelectMany(s => s.Ys).DefaultIfEmpty(0).Max(), 1e-9) * 1.1;
        Open(html, yLabel);
        Axes(html, xLabel, yLabel, xMax, yMax);
        var legendX = Left + 10;
        foreach (var (name, color, ys) in series)
        {
            var points = string.Join(' ', xs.Select((x, i) => $"{N(X(x, xMax))},{N(Y(ys[i], yMax))}"));
            html.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\"/>\n");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{legendX}\" y=\"{Top + 12}\" fill=\"{color}\" font-size=\"12\">{E(name)}</text>\n");
            legendX += 80;
        }

        html.Append("</svg>\n");
    }

    private static void Histogram(StringBuilder html, string title, IReadOnlyList<HistogramBar> bars)
    {
        if (bars.Count == 0 || bars.All(b => b.Count == 0))
        {
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(title)}</h2>\n");
        var yMax = bars.Max(b => b.Count) * 1.1;
        Open(html, title);
        var plotWidth = Width - Left - Right;
        var barWidth = (double)plotWidth / bars.Count;
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>\n");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var x = Left + (i * barWidth);
            var y = Y(bar.Count, yMax);
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x + 1)}\" y=\"{N(y)}\" width=\"{N(Math.Max(1, barWidth - 2))}\" height=\"{N(Height - Bottom - y)}\" fill=\"#4682b4\"><title>{N(bar.FromMs)}–{N(bar.ToMs)} ms: {bar.Count}</title></rect>\n");
            if (i % Math.Max(1, bars.Count / 8) == 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{Height - Bottom + 15}\" font-size=\"10\">{N(bar.FromMs)}</text>\n");
            }
        }

        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height - 5}\" font-size=\"12\" text-anchor=\"middle\">latency (ms, log-spaced bins)</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 5}\" y=\"{Top + 5}\" font-size=\"10\" text-anchor=\"end\">{N(yMax / 1.1)}</text>\n</svg>\n");
    }

    private static void Open(StringBuilder html, string label) =>
        html.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{E(label)}\">\n");

    private static void Axes(StringBuilder html, string xLabel, string yLabel, double xMax, double yMax)
    {
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>\n");
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>\n");
        for (var i = 0; i <= 4; i++)
        {
            var yValue = yMax * i / 4;
            var xValue = xMax * i / 4;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 5}\" y=\"{N(Y(yValue, yMax) + 4)}\" font-size=\"10\" text-anchor=\"end\">{N(yValue)}</text>\n");
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(xValue, xMax))}\" y=\"{Height - Bottom + 15}\" font-size=\"10\" text-anchor=\"middle\">{N(xValue)}</text>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height - 5}\" font-size=\"12\" text-anchor=\"middle\">{E(xLabel)}</text>\n");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{Height / 2}\" font-size=\"12\" transform=\"rotate(-90 12 {Height / 2})\" text-anchor=\"middle\">{E(yLabel)}</text>\n");
    }

    private static double X(double value, double max) => Left + (value / max * (Width - Left - Right));

    private static double Y(double value, double max) => Height - Bottom - (value / max * (Height - Top - Bottom));

    private static string N(double value) => Math.Round(value, 3).ToString("0.###", Invariant);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
