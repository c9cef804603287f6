using System.Globalization;
using SecureActors.Client.Load;
using SecureActors.Client.Reporting;

namespace SecureActors.Benchmarks.TlsPeer;

/// <summary>
/// <c>tls-load</c>: the SslStream counterpart of <c>secure-actors load</c>, with the same run shapes
/// and the same JSON report (schema <c>secure-actors/load-report/v1</c>), so the scenario runner reads
/// both alike.
/// <code>
/// tls-load --port P --server-cert S.cer [--client-cert C.pfx] [--host 127.0.0.1]
///          [--connections 100] [--messages 100] [--size 64] [--pipeline 1] [--reconnect-every 0]
///          [--handshake-only] [--ramp-up 0s] [--rate 0] [--start-together] [--warmup 0] [--max-duration 300s] [--json FILE]
/// </code>
/// Shapes: <c>--connections</c> concurrent slots; each sends <c>--messages</c> messages of
/// <c>--size</c> payload bytes with <c>--pipeline</c> in flight, opening a new connection (full
/// handshake) every <c>--reconnect-every</c> messages (1 = handshake, one message, close).
/// <c>--handshake-only</c>: <c>--messages</c> handshakes per slot, no messages. <c>--rate R</c> is
/// the open loop of our load client: message i goes to slot i mod N at t0 + i/R, latency counts
/// from that time, and every session stays open until all messages are answered. <c>--warmup W</c>:
/// first an unmeasured run of min(connections, 20) slots × W messages of the same shape (closed
/// loop, no ramp-up), exactly as <c>secure-actors load --warmup</c> does. <c>--start-together</c>
/// (closed loop): every session connects first; sending and the clock start when the last is up.
/// Messages are built and checked with our load client's <see cref="PayloadFactory"/>, so every
/// echoed byte is verified; the exit code is 0 only for a clean run.
/// </summary>
internal static class TlsLoadClient
{
    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = Arguments.Parse(args);
        var settings = new PeerLoadSettings
        {
            Host = arguments.String("host") ?? "127.0.0.1",
            Port = arguments.Int("port", 0),
            Connections = arguments.Int("connections", 100),
            Messages = arguments.Long("messages", 100),
            Size = arguments.Int("size", 64),
            Pipeline = arguments.Int("pipeline", 1),
            ReconnectEvery = arguments.Long("reconnect-every", 0),
            HandshakeOnly = arguments.Flag("handshake-only"),
            RampUp = arguments.Seconds("ramp-up", TimeSpan.Zero),
            Rate = arguments.Double("rate", 0),
            MaxDuration = arguments.Seconds("max-duration", TimeSpan.FromMinutes(5)),
            StartTogether = arguments.Flag("start-together"),
        };
        var warmup = arguments.Long("warmup", 0);
        var serverCertificate = arguments.Required("server-cert");
        var clientCertificate = arguments.String("client-cert");
        var json = arguments.String("json");
        arguments.RejectUnknown();
        if (settings.Port is <= 0 or > 65535 || settings.Connections < 1 || settings.Messages < 1 || settings.Pipeline < 1
            || settings.Size is < PayloadFactory.HeaderLength or > TlsEchoServer.MaxPayload || warmup < 0
            || (settings.StartTogether && (settings.Rate > 0 || settings.HandshakeOnly)))
        {
            await Console.Error.WriteLineAsync("[!] need --port, connections/messages/pipeline ≥ 1, 16 ≤ size ≤ 1 MiB, warmup ≥ 0, and start-together only in the closed loop with messages");
            return 2;
        }

        using var pinned = PeerTls.LoadPublic(serverCertificate);
        using var identity = clientCertificate is null ? null : PeerTls.LoadPkcs12(clientCertificate);
        var tls = PeerTls.ClientOptions(pinned, identity);
        if (warmup > 0)
        {
            var warmupSettings = settings with
            {
                Connections = Math.Min(settings.Connections, LoadRunner.MaxWarmupSessions),
                Messages = warmup,
                RampUp = TimeSpan.Zero,
                Rate = 0,
                StartTogether = false,
            };
            var warmupReport = await new PeerLoadRun(warmupSettings, tls).RunAsync();
            if (!warmupReport.Clean)
            {
                await Console.Error.WriteLineAsync($"[!] tls-load: {new LoadWarmupException(warmupReport).Message}");
                return 1;
            }
        }

        var run = new PeerLoadRun(settings with { WarmupMessagesPerSession = warmup }, tls);
        var report = await run.RunAsync();
        if (json is not null)
        {
            await JsonReport.WriteAsync(report, json);
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"[*] tls-load: {report.Sessions.HandshakesOk} handshakes ({report.Throughput.HandshakesPerSecond}/s), " +
            $"{report.Messages.Received} replies ({report.Throughput.MessagesPerSecond}/s) in {report.ElapsedSeconds} s; " +
            $"handshake p99 {report.HandshakeLatency.P99Ms} ms, round trip p99 {report.RoundTripLatency.P99Ms} ms; " +
            $"{(report.Clean ? "clean" : "NOT CLEAN: " + string.Join(", ", report.Errors.Select(e => $"{e.Key} ×{e.Value}")))}"));
        return report.ExitCode;
    }
}
