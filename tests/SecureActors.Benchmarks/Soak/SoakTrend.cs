using System.Globalization;

namespace SecureActors.Benchmarks.Soak;

/*
 * "Grows without bound", made testable: fit a least-squares line to the second half of a series
 * (the first half is warm-up: JIT, pools, caches filling) and project its growth over that half.
 * A bounded series has a slope near zero once warm; a leak keeps a positive slope for the whole
 * run, so its projected growth exceeds the tolerance: a fraction of the series' median or an
 * absolute floor, whichever is larger (the floor keeps small series such as fds from failing on
 * noise of a few units).
 */

/// <summary>The growth verdict for one series.</summary>
internal sealed record SoakTrend(string Series, double SlopePerHour, double GrowthOverSecondHalf, double Tolerance, double Median)
{
    public bool Bounded => GrowthOverSecondHalf <= Tolerance;

    /// <summary>Tolerance per series: (fraction of the median, absolute floor).</summary>
    private static readonly Dictionary<string, (double Fraction, double Floor)> Tolerances = new(StringComparer.Ordinal)
    {
        ["rss_bytes"] = (0.10, 16 << 20),
        ["live_heap_bytes"] = (0.10, 4 << 20),
        ["fds"] = (0.10, 16),
        ["threads"] = (0.20, 8),
        ["session_actors"] = (0.25, 10),
    };

    public static IReadOnlyList<SoakTrend> Analyse(IReadOnlyList<SoakSample> samples)
    {
        var half = samples.Skip(samples.Count / 2).ToList();
        var trends = new List<SoakTrend>();
        foreach (var (name, value) in SoakSample.Series)
        {
            var xs = half.Select(s => s.Seconds).ToArray();
            var ys = half.Select(value).ToArray();
            var slope = Slope(xs, ys);
            var span = xs.Length > 1 ? xs[^1] - xs[0] : 0;
            var median = ys.Length == 0 ? 0 : ys.Order().ElementAt(ys.Length / 2);
            var (fraction, floor) = Tolerances[name];
            trends.Add(new SoakTrend(name, slope * 3600, slope * span, Math.Max(fraction * median, floor), median));
        }

        return trends;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Series,-16} median {Median,14:F0}  slope {SlopePerHour,14:F1}/h  growth over 2nd half {GrowthOverSecondHalf,12:F1} (tolerance {Tolerance:F0})  {(Bounded ? "bounded" : "GROWING")}");

    private static double Slope(double[] xs, double[] ys)
    {
        if (xs.Length < 2)
        {
            return 0;
        }

        var mx = xs.Average();
        var my = ys.Average();
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        var sxy = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my));
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
