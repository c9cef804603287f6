using System.Globalization;
using System.Text.RegularExpressions;
using SecureActors.Benchmarks.Scenarios;

namespace SecureActors.Benchmarks.Faults;

/// <summary>
/// What a server process holds at one instant, read from outside it: resident memory and open
/// descriptors from /proc — how many are sockets, and how many hold assemblies, which the runtime
/// opens the first time code in them runs and keeps open, so they grow once and then stay — and
/// its own count of sessions from the last <c>[*] stats</c> line it logged.
/// </summary>
internal sealed partial record ServerProcessSample(long RssKiB, int Fds, int Sockets, int Assemblies, int? Sessions)
{
    /// <summary>Descriptors that are neither sockets nor assemblies: pipes, the log, epoll, /dev/urandom.</summary>
    public int Others => Fds - Sockets - Assemblies;

    public static ServerProcessSample Take(int pid, string logPath)
    {
        var targets = Directory.GetFiles($"/proc/{pid}/fd").Select(Target).ToList();
        return new(
            ProcStat.Memory(pid).RssKiB,
            targets.Count,
            targets.Count(t => t.StartsWith("socket:", StringComparison.Ordinal)),
            targets.Count(t => t.EndsWith(".dll", StringComparison.Ordinal)),
            LastReportedSessions(logPath));
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"RSS {RssKiB / 1024.0:F0} MiB, {Fds} descriptors ({Sockets} sockets, {Assemblies} assemblies, {Others} other), {(Sessions is { } s ? s.ToString(CultureInfo.InvariantCulture) : "?")} sessions by its last stats line");

    private static string Target(string descriptor)
    {
        try
        {
            return new FileInfo(descriptor).LinkTarget ?? "";
        }
        catch (IOException)
        {
            // Closed between listing and reading: not held any more.
            return "";
        }
    }

    /// <summary>The session count of the newest stats line in the server's log; null before the first one.</summary>
    private static int? LastReportedSessions(string logPath)
    {
        int? sessions = null;
        using var reader = new StreamReader(new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        while (reader.ReadLine() is { } line)
        {
            if (StatsLine().Match(line) is { Success: true } match)
            {
                sessions = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }

        return sessions;
    }

    [GeneratedRegex(@"stats: sessions (\d+) ")]
    private static partial Regex StatsLine();
}
