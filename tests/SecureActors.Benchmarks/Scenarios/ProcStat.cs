using System.Diagnostics;
using System.Globalization;

namespace SecureActors.Benchmarks.Scenarios;

/// <summary>
/// A process's CPU time and memory as Linux reports them: <c>/proc/&lt;pid&gt;/stat</c> fields 14 and
/// 15 (utime, stime, in clock ticks) and <c>/proc/&lt;pid&gt;/status</c> VmRSS / VmHWM (KiB).
/// </summary>
internal static class ProcStat
{
    private static readonly Lazy<long> TicksPerSecond = new(ReadClockTicks);

    public static long ClockTicks => TicksPerSecond.Value;

    /// <summary>User plus system CPU time the process has used so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ClockTicks);
    }

    /// <summary>Resident set now and its high-water mark, in KiB.</summary>
    public static (long RssKiB, long PeakKiB) Memory(int pid)
    {
        long rss = 0;
        long peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KiB(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KiB(line);
            }
        }

        return (rss, peak);
    }

    private static long KiB(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static long ReadClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            if (getconf is not null && getconf.WaitForExit(5000)
                && long.TryParse(getconf.StandardOutput.ReadToEnd().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) && ticks > 0)
            {
                return ticks;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        return 100;
    }
}
