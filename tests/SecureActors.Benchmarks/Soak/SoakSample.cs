using System.Globalization;

namespace SecureActors.Benchmarks.Soak;

/// <summary>One sample of the server process: memory, descriptors, threads and sessions (plus the load's progress).</summary>
internal sealed record SoakSample(
    double Seconds,
    long RssBytes,
    long LiveHeapBytes,
    long GcHeapBytes,
    int Fds,
    int Threads,
    int SessionActors,
    long Established,
    long Replies)
{
    public const string CsvHeader = "seconds,rss_bytes,live_heap_bytes,gc_heap_bytes,fds,threads,session_actors,established,replies";

    /// <summary>The series checked for unbounded growth, with how each is read from a sample.</summary>
    public static readonly (string Name, Func<SoakSample, double> Value)[] Series =
    [
        ("rss_bytes", s => s.RssBytes),
        ("live_heap_bytes", s => s.LiveHeapBytes),
        ("fds", s => s.Fds),
        ("threads", s => s.Threads),
        ("session_actors", s => s.SessionActors),
    ];

    public string ToCsv() => string.Create(CultureInfo.InvariantCulture, $"{Seconds:F1},{RssBytes},{LiveHeapBytes},{GcHeapBytes},{Fds},{Threads},{SessionActors},{Established},{Replies}");

    public static SoakSample Parse(string line)
    {
        var f = line.Split(',');
        var i = CultureInfo.InvariantCulture;
        return new SoakSample(
            double.Parse(f[0], i), long.Parse(f[1], i), long.Parse(f[2], i), long.Parse(f[3], i),
            int.Parse(f[4], i), int.Parse(f[5], i), int.Parse(f[6], i), long.Parse(f[7], i), long.Parse(f[8], i));
    }
}
