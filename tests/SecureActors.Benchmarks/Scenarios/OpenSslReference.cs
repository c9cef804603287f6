using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SecureActors.Benchmarks.Scenarios;

/// <summary>
/// OpenSSL's own TLS 1.3 new-handshake rate on this machine: <c>openssl s_server</c> (RSA-2048,
/// P-256, TLS_AES_128_GCM_SHA256, no tickets, no session cache) and <c>openssl s_time -new</c>, which
/// opens one connection at a time with a full handshake each. The rate is connections / wall time;
/// the server's CPU per handshake comes from /proc like the scenarios'.
/// </summary>
internal static partial class OpenSslReference
{
    public sealed record Result(double HandshakesPerSecond, double CpuMillisPerHandshake, long Connections);

    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "openssl")).FirstOrDefault(File.Exists);

    public static async Task<string> VersionAsync(string openssl, string work)
    {
        var log = Path.Combine(work, "openssl-version.log");
        File.Delete(log);
        await ChildProcess.RunAsync([openssl, "version"], log, TimeSpan.FromSeconds(10));
        return (await File.ReadAllLinesAsync(log)).Skip(1).FirstOrDefault() ?? "unknown";
    }

    public static async Task<Result?> MeasureAsync(string openssl, string work, string openSslConfig, double seconds)
    {
        var key = Path.Combine(work, "openssl-key.pem");
        var certificate = Path.Combine(work, "openssl-cert.pem");
        var log = Path.Combine(work, "openssl.log");
        if (!File.Exists(certificate))
        {
            await ChildProcess.RunAsync(
                [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-subj", "/CN=localhost", "-days", "2"],
                log, TimeSpan.FromSeconds(30));
        }

        var port = FreePort();
        var server = ChildProcess.Start(
            [openssl, "s_server", "-accept", $"127.0.0.1:{port}", "-cert", certificate, "-key", key, "-tls1_3", "-groups", "P-256",
                "-ciphersuites", "TLS_AES_128_GCM_SHA256", "-num_tickets", "0", "-no_cache", "-quiet", "-naccept", "1000000"],
            log);
        await using (server)
        {
            if (!await WaitListeningAsync(port, server))
            {
                return null;
            }

            var cpuBefore = ProcStat.CpuTime(server.Pid);
            var clientLog = Path.Combine(work, "openssl-s_time.log");
            File.Delete(clientLog);
            var started = Stopwatch.GetTimestamp();
            var environment = new Dictionary<string, string> { ["OPENSSL_CONF"] = openSslConfig };
            var exit = await ChildProcess.RunAsync(
                [openssl, "s_time", "-connect", $"127.0.0.1:{port}", "-new", "-time", seconds.ToString("0", CultureInfo.InvariantCulture)],
                clientLog, TimeSpan.FromSeconds(seconds + 30), environment);
            var wall = Stopwatch.GetElapsedTime(started);
            var cpu = ProcStat.CpuTime(server.Pid) - cpuBefore;
            var match = (await File.ReadAllLinesAsync(clientLog)).Select(line => ConnectionsLine().Match(line)).FirstOrDefault(m => m.Success);
            if (exit != 0 || match is null)
            {
                return null;
            }

            var connections = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return connections == 0 ? null : new Result(connections / wall.TotalSeconds, cpu.TotalMilliseconds / connections, connections);
        }
    }

    private static async Task<bool> WaitListeningAsync(int port, ChildProcess server)
    {
        for (var attempt = 0; attempt < 100 && !server.HasExited; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    /// <summary>A port that was free a moment ago (s_server cannot report the one it picks).</summary>
    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [GeneratedRegex(@"^(\d+) connections in [\d.]+ real seconds")]
    private static partial Regex ConnectionsLine();
}
