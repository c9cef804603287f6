using System.Globalization;

namespace SecureActors.Benchmarks.Scenarios;

/// <summary>What a scenario's headline rate counts, and what server CPU is divided by.</summary>
internal enum ScenarioKind
{
    Handshakes,
    Messages,
    Bulk,
    Sessions,
}

/// <summary>
/// One row of issue 7's scenario table, in the load clients' vocabulary: <see cref="Connections"/>
/// concurrent slots sending <see cref="Messages"/> each, reconnecting every
/// <see cref="ReconnectEvery"/> messages (A: 50 × 100 with reconnect 1 = 5,000 connections of one
/// message). <see cref="Rate"/> &gt; 0 is the open loop of D: message i goes to session i mod N at
/// i / rate, and sessions stay open until the last one is answered.
/// </summary>
internal sealed record Scenario(
    string Name,
    string Shape,
    ScenarioKind Kind,
    int Connections,
    long Messages,
    int Size,
    int Pipeline,
    long ReconnectEvery,
    bool ClientAuth,
    double RampUpSeconds,
    double Rate,
    double BoundSeconds)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Issue 7's table. B and B-pipe open their 100 sessions over 0.5 s: all at once, more than 64
    /// handshakes would be in progress and our admission control would refuse some at random (it did,
    /// 3 of 100, on the loaded machine). D opens 333 sessions/s, well inside both servers' handshake rate: above it our
    /// server's admission control (early drop from 64 handshakes in progress) refuses connections, by
    /// design, and D would measure refusals instead of memory. Its 50,000 messages are spread over 40 s.
    /// </summary>
    public static IReadOnlyList<Scenario> Full { get; } =
    [
        new("A", "handshake-heavy: 50 concurrent, 5,000 connections, each 1 message of 64 B then close", ScenarioKind.Handshakes, 50, 100, 64, 1, 1, false, 0, 0, 180),
        new("A-auth", "as A with client authentication (peer: mutual TLS, RSA-2048 client certificate)", ScenarioKind.Handshakes, 50, 100, 64, 1, 1, true, 0, 0, 180),
        new("B", "message-heavy: 100 connections × 2,000 messages of 64 B, one outstanding per connection", ScenarioKind.Messages, 100, 2000, 64, 1, 0, false, 0.5, 0, 180),
        new("B-pipe", "as B with 32 messages in flight per connection", ScenarioKind.Messages, 100, 2000, 64, 32, 0, false, 0.5, 0, 180),
        new("C", "bulk: 10 connections × 5,000 messages of 16 KiB", ScenarioKind.Bulk, 10, 5000, 16384, 1, 0, false, 0, 0, 180),
        new("D", "many sessions: 10,000 opened over 30 s and held open, 5 messages of 64 B each (open loop, 50,000 over 40 s)", ScenarioKind.Sessions, 10_000, 5, 64, 1, 0, false, 30, 50_000 / 40.0, 150),
    ];

    /// <summary>The same shapes, tiny: checks the runner end to end in well under a minute.</summary>
    public static IReadOnlyList<Scenario> Quick { get; } =
    [
        Full[0] with { Connections = 10, Messages = 10, BoundSeconds = 30 },
        Full[1] with { Connections = 10, Messages = 10, BoundSeconds = 30 },
        Full[2] with { Connections = 10, Messages = 200, BoundSeconds = 30 },
        Full[3] with { Connections = 10, Messages = 320, BoundSeconds = 30 },
        Full[4] with { Connections = 4, Messages = 100, BoundSeconds = 30 },
        Full[5] with { Connections = 300, RampUpSeconds = 2, Rate = 1500 / 4.0, BoundSeconds = 30 },
    ];

    /// <summary>Total messages (D's open-loop budget).</summary>
    public long TotalMessages => Connections * Messages;

    /// <summary>Connections the run opens: one per reconnect, else one per slot.</summary>
    public long TotalConnections => ReconnectEvery > 0 ? Connections * (Messages / ReconnectEvery) : Connections;

    /// <summary>A small closed-loop run of the same shape that JIT-compiles and warms both servers before measuring.</summary>
    public Scenario Warmup() => this with
    {
        Connections = Math.Min(Connections, 20),
        Messages = Math.Min(Messages, 20),
        RampUpSeconds = 0,
        Rate = 0,
    };

    /// <summary>
    /// Messages per session of each load client's own unmeasured warm-up (<c>--warmup</c>; both clients
    /// alike, at most 20 sessions): a hundredth of the run, enough for the client's JIT to happen before
    /// a run that lasts about a second rather than inside it. The server's CPU is sampled around the
    /// whole client process, so it includes the warm-up: at most 1 % more work (C: 10 × 50 of 50,000
    /// messages; A: 20 of 5,000 handshakes), on both systems alike. None for D, whose server memory
    /// is measured from before the client starts.
    /// </summary>
    public long ClientWarmup => Rate > 0 ? 0 : Math.Max(1, Messages / 100);

    /// <summary>
    /// B, B-pipe and C measure messages, not connecting: both clients connect every session first and
    /// start the clock when the last is up (<c>--start-together</c>). B-pipe's whole run took 0.6 s
    /// behind a 0.5 s ramp-up, so its rate measured the ramp (at most 200,000 / 0.5 s whatever the server).
    /// </summary>
    public bool StartTogether => Rate == 0 && ReconnectEvery == 0;

    public IReadOnlyList<string> SecureActorsLoadArguments(int port, string fingerprint, string clientKey, string json)
    {
        List<string> args =
        [
            "load", "--host", "127.0.0.1", "--port", Text(port), "--server-fingerprint", fingerprint,
            "--connections", Text(Connections), "--size", Text(Size), "--pipeline", Text(Pipeline),
            "--ramp-up", Seconds(RampUpSeconds), "--json", json, "-c", $"client.load.max-duration = {Seconds(BoundSeconds)}",
        ];
        if (Rate > 0)
        {
            args.AddRange(["--messages", "0", "--rate", Text(Rate), "--duration", Seconds((TotalMessages / Rate) + 10),
                "-c", $"client.load.max-total-messages = {Text(TotalMessages)}"]);
        }
        else
        {
            args.AddRange(["--messages", Text(Messages), "--warmup", Text(ClientWarmup)]);
            if (StartTogether)
            {
                args.Add("--start-together");
            }

            if (ReconnectEvery > 0)
            {
                args.AddRange(["--reconnect-every", Text(ReconnectEvery)]);
            }
        }

        if (ClientAuth)
        {
            args.AddRange(["--identity", clientKey]);
        }

        return args;
    }

    public IReadOnlyList<string> PeerLoadArguments(int port, string serverCertificate, string clientPkcs12, string json)
    {
        List<string> args =
        [
            "tls-load", "--port", Text(port), "--server-cert", serverCertificate,
            "--connections", Text(Connections), "--messages", Text(Messages), "--size", Text(Size), "--pipeline", Text(Pipeline),
            "--reconnect-every", Text(ReconnectEvery), "--ramp-up", Seconds(RampUpSeconds), "--rate", Text(Rate),
            "--warmup", Text(ClientWarmup), "--max-duration", Seconds(BoundSeconds), "--json", json,
        ];
        if (StartTogether)
        {
            args.Add("--start-together");
        }

        if (ClientAuth)
        {
            args.AddRange(["--client-cert", clientPkcs12]);
        }

        return args;
    }

    private static string Text(double value) => value.ToString("0.###", Invariant);

    private static string Text(long value) => value.ToString(Invariant);

    private static string Seconds(double value) => Text(value) + "s";
}
