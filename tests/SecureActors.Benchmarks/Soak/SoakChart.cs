using System.Globalization;
using System.Text;

namespace SecureActors.Benchmarks.Soak;

/// <summary>The soak's SVG chart: one panel per series over time, the second half (the judged part) shaded.</summary>
internal static class SoakChart
{
    private const int Width = 900;
    private const int PanelHeight = 120;
    private const int Left = 70;
    private const int Right = 20;
    private const int Gap = 30;

    public static string Render(IReadOnlyList<SoakSample> samples, IReadOnlyList<SoakTrend> trends)
    {
        var series = SoakSample.Series;
        var height = Gap + (series.Length * (PanelHeight + Gap));
        var svg = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        var t0 = samples.Count > 0 ? samples[0].Seconds : 0;
        var t1 = samples.Count > 1 ? samples[^1].Seconds : t0 + 1;
        var plotWidth = Width - Left - Right;
        double X(double t) => Left + ((t - t0) / Math.Max(t1 - t0, 1e-9) * plotWidth);

        for (var p = 0; p < series.Length; p++)
        {
            var (name, value) = series[p];
            var top = Gap + (p * (PanelHeight + Gap));
            var values = samples.Select(value).ToArray();
            var min = values.Length > 0 ? Math.Min(0, values.Min()) : 0;
            var max = values.Length > 0 ? Math.Max(values.Max(), 1) : 1;
            double Y(double v) => top + PanelHeight - ((v - min) / Math.Max(max - min, 1e-9) * PanelHeight);
            var trend = trends.FirstOrDefault(t => t.Series == name);
            var verdict = trend is null ? "" : trend.Bounded ? " — bounded" : " — GROWING";
            var midX = X(t0 + ((t1 - t0) / 2));
            svg.Append(c, $"<rect x=\"{midX:F1}\" y=\"{top}\" width=\"{Left + plotWidth - midX:F1}\" height=\"{PanelHeight}\" fill=\"#f2f5fa\"/>\n");
            svg.Append(c, $"<rect x=\"{Left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#999\"/>\n");
            svg.Append(c, $"<text x=\"{Left}\" y=\"{top - 6}\" font-weight=\"bold\">{name}{verdict}</text>\n");
            svg.Append(c, $"<text x=\"{Left - 4}\" y=\"{top + 10}\" text-anchor=\"end\">{Label(name, max)}</text>\n");
            svg.Append(c, $"<text x=\"{Left - 4}\" y=\"{top + PanelHeight}\" text-anchor=\"end\">{Label(name, min)}</text>\n");
            svg.Append(c, $"<text x=\"{Left + plotWidth}\" y=\"{top + PanelHeight + 14}\" text-anchor=\"end\">{t1 - t0:F0} s</text>\n");
            var points = string.Join(' ', samples.Select(s => string.Create(c, $"{X(s.Seconds):F1},{Y(value(s)):F1}")));
            svg.Append(c, $"<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"1.5\" points=\"{points}\"/>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Label(string series, double value) => series.EndsWith("_bytes", StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"{value / (1 << 20):F1} MiB")
        : value.ToString("F0", CultureInfo.InvariantCulture);
}
