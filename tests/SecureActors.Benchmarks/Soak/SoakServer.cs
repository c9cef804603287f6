using System.Globalization;
using SecureActors.Actors.Actor;
using SecureActors.Hocon;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Hosting;
using SecureActors.Server.Listener;

namespace SecureActors.Benchmarks.Soak;

/// <summary>
/// The soak's server process (<c>soak --serve-child</c>): a SecureServer on a free loopback port with a
/// fresh 2048-bit key. It prints <c>READY port fingerprint</c>, then answers each <c>sample</c> line on
/// stdin with one <see cref="SoakSample"/> line, and stops gracefully on <c>stop</c> or end of input.
/// </summary>
internal static class SoakServer
{
    /// <summary>Stdout carries the sampling protocol, so the server's log goes nowhere.</summary>
    private static readonly Serilog.ILogger Silent = new Serilog.LoggerConfiguration().CreateLogger();

    public static async Task<int> RunAsync()
    {
        using var identity = LocalIdentity.Generate(2048);
        var config = ConfigFactory.ParseString("""
            server {
              host = "127.0.0.1"
              port = 0
              stats.enabled = off
              limits.max-handshaking = 1000
              limits.early-drop-from = 1000
            }
            """, "soak");
        var server = await SecureServer.StartAsync(config, new SecureServerOptions { Identity = identity, SystemName = "soak", Logger = Silent });
        Console.Out.WriteLine($"READY {server.Endpoint.Port} {server.Fingerprint}");
        Console.Out.Flush();
        while (await Console.In.ReadLineAsync() is { } command && command != "stop")
        {
            if (command == "sample")
            {
                Console.Out.WriteLine((await SampleAsync(server)).ToCsv());
                Console.Out.Flush();
            }
        }

        await server.StopAsync();
        return 0;
    }

    private static async Task<SoakSample> SampleAsync(SecureServer server)
    {
        var listener = await server.System.ActorSelection("/user/server/listener").ResolveOne();
        var counts = await listener.Ask<ListenerProtocol.Counts>(ListenerProtocol.GetCounts.Instance, TimeSpan.FromSeconds(10));
        // A full collection before reading the heap: the trend is about live data, not garbage not yet collected.
        var liveHeap = GC.GetTotalMemory(forceFullCollection: true);
        return new SoakSample(
            0,
            ProcStatus("VmRSS") * 1024,
            liveHeap,
            GC.GetGCMemoryInfo().HeapSizeBytes,
            Directory.GetFiles("/proc/self/fd").Length,
            (int)ProcStatus("Threads"),
            counts.Open,
            server.Metrics.EstablishedSessions,
            0);
    }

    /// <summary>A numeric field of /proc/self/status (kB for sizes).</summary>
    private static long ProcStatus(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
