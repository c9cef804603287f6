using System.Diagnostics;
using System.Globalization;
using SecureActors.Benchmarks.TlsPeer;

namespace SecureActors.Benchmarks.Scenarios;

/// <summary>
/// <c>scenarios</c> (make bench-scenarios): issue 7's scenarios against SecureActors
/// (<c>secure-actors serve</c> + <c>secure-actors load</c>) and the SslStream peer
/// (<c>tls-server</c> + <c>tls-load</c>), alternating the two, with the crypto floor and OpenSSL's
/// handshake rate measured in the same run; writes a Markdown report.
/// <code>
/// scenarios [--quick] [--repetitions 3] [--only A,B] [--secure-actors out/secure-actors]
///           [--work out/bench-scenarios] [--output docs/PERFORMANCE.md] [--no-openssl]
///           [--server-env NAME=VALUE,...] [--client-env NAME=VALUE,...]
/// </code>
/// Every server is a fresh process per scenario and repetition, started on a free loopback port,
/// warmed up with a small run of the same shape, then measured: its CPU time (utime + stime) and
/// memory are read from /proc just before and after the measured load client runs. Each process is
/// stopped by its PID in a finally block; every client run has a time bound and is killed past it.
/// --quick: tiny shapes, one repetition, report to out/bench-scenarios/quick.md (checks the runner,
/// measures nothing worth quoting).
/// </summary>
internal static class ScenarioRunner
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = Arguments.Parse(args);
        var quick = arguments.Flag("quick");
        var repetitions = arguments.Int("repetitions", quick ? 1 : 3);
        var only = arguments.String("only")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var binary = Path.GetFullPath(arguments.String("secure-actors") ?? "out/secure-actors");
        var work = Path.GetFullPath(arguments.String("work") ?? "out/bench-scenarios");
        var output = Path.GetFullPath(arguments.String("output") ?? (quick ? Path.Combine(work, "quick.md") : "docs/PERFORMANCE.md"));
        var withOpenSsl = !arguments.Flag("no-openssl");
        var serverEnvironment = ParseEnvironment(arguments.String("server-env"), "server-env");
        var clientEnvironment = ParseEnvironment(arguments.String("client-env"), "client-env");
        arguments.RejectUnknown();
        if (!File.Exists(binary))
        {
            await Console.Error.WriteLineAsync($"[!] {binary} not found: run `make build` first");
            return 2;
        }

        using var stopChildrenOnTermination = ChildProcess.StopAllOnTermination();
        var catalog = quick ? Scenario.Quick : Scenario.Full;
        if (only?.FirstOrDefault(name => !catalog.Any(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))) is { } unknown)
        {
            throw new ArgumentException($"unknown scenario '{unknown}' (known: {string.Join(", ", catalog.Select(s => s.Name))})");
        }

        var scenarios = catalog.Where(s => only is null || only.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        var workspace = Workspace.Create(work);
        var openssl = withOpenSsl ? OpenSslReference.Executable() : null;
        var conditions = new RunConditions
        {
            Quick = quick,
            Repetitions = repetitions,
            StartedAt = DateTimeOffset.UtcNow,
            LoadBefore = LoadAverage(),
            Cpu = CpuModel(),
            Cores = Environment.ProcessorCount,
            Runtime = Environment.Version.ToString(),
            OpenSsl = openssl is null ? (withOpenSsl ? "OpenSSL not installed" : "OpenSSL reference skipped") : await OpenSslReference.VersionAsync(openssl, work),
        };
        await Console.Out.WriteLineAsync($"[*] bench-scenarios ({(quick ? "quick" : "full")}): {repetitions} repetition(s) of {string.Join(", ", scenarios.Select(s => s.Name))}; load average {conditions.LoadBefore}; scratch {work}");

        var runs = new List<RunResult>();
        var floors = new List<CryptoFloor>();
        var references = new List<OpenSslReference.Result>();
        string? peerCheck = null;
        var total = Stopwatch.StartNew();
        for (var repetition = 1; repetition <= repetitions; repetition++)
        {
            floors.Add(CryptoFloor.Measure(quick));
            foreach (var scenario in scenarios)
            {
                // Alternate which system goes first, so a drift in machine load does not favour one.
                SystemUnderTest[] order = repetition % 2 == 1
                    ? [SystemUnderTest.SecureActors, SystemUnderTest.TlsPeer]
                    : [SystemUnderTest.TlsPeer, SystemUnderTest.SecureActors];
                foreach (var system in order)
                {
                    var run = await RunOneAsync(system, scenario, repetition, workspace, binary, openssl, peerCheck is null, serverEnvironment, clientEnvironment);
                    peerCheck ??= run.PeerCheck;
                    runs.Add(run.Result);
                    await Console.Out.WriteLineAsync(Describe(run.Result));
                }
            }

            if (openssl is not null && await OpenSslReference.MeasureAsync(openssl, work, workspace.OpenSslConfig, quick ? 1 : 5) is { } reference)
            {
                references.Add(reference);
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"[*] openssl s_time -new: {reference.HandshakesPerSecond:0} handshakes/s, s_server CPU {reference.CpuMillisPerHandshake:0.000} ms per handshake"));
            }
        }

        conditions = conditions with { LoadAfter = LoadAverage(), Elapsed = total.Elapsed, PeerCheck = peerCheck ?? (openssl is null ? "not checked (no openssl)" : "not checked (no peer run without client authentication)") };
        var markdown = ScenarioReport.Render(conditions, scenarios, runs, floors, references);
        await ScenarioReport.WriteAsync(output, markdown);
        await Console.Out.WriteLineAsync(markdown);
        await Console.Out.WriteLineAsync($"[+] report written to {output} ({total.Elapsed.TotalSeconds:0} s)");
        return runs.All(r => r.Succeeded) ? 0 : 1;
    }

    private sealed record Outcome(RunResult Result, string? PeerCheck);

    // Both load clients are measuring apparatus and run alike: fully optimised code from the first call
    // (tiered compilation off, as our load client ships). With tiering on, each client re-compiled its
    // hot methods on a background thread during B-pipe's 0.3-0.5 s burst, taking CPU from the server
    // under test (PERFORMANCE.md, seventh session).
    private static readonly Dictionary<string, string> LoadClientSettings = new()
    {
        ["DOTNET_TieredCompilation"] = "0",
    };

    private static async Task<Outcome> RunOneAsync(
        SystemUnderTest system, Scenario scenario, int repetition, Workspace workspace, string binary, string? openssl, bool checkPeer,
        IReadOnlyDictionary<string, string>? serverEnvironment, IReadOnlyDictionary<string, string>? clientOverrides)
    {
        var tag = $"{scenario.Name}-{(system == SystemUnderTest.SecureActors ? "sa" : "peer")}-{repetition}";
        var portFile = workspace.PathOf(tag + ".port");
        var serverCertificate = workspace.PathOf(tag + "-server.cer");
        var serverLog = workspace.PathOf(tag + "-server.log");
        var clientLog = workspace.PathOf(tag + "-client.log");
        var json = workspace.PathOf(tag + ".json");
        foreach (var stale in new[] { portFile, serverCertificate, serverLog, clientLog, json })
        {
            File.Delete(stale);
        }

        var result = new RunResult { Scenario = scenario, System = system, Repetition = repetition, ExitCode = null };
        var peerEnvironment = new Dictionary<string, string> { ["OPENSSL_CONF"] = workspace.OpenSslConfig };
        var environment = system == SystemUnderTest.TlsPeer ? peerEnvironment : null;

        // Our server keeps the product's runtime settings; the clients get LoadClientSettings alike.
        var clientEnvironment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        foreach (var (name, value) in LoadClientSettings.Concat(clientOverrides ?? new Dictionary<string, string>()))
        {
            clientEnvironment[name] = value;
        }

        var server = ChildProcess.Start(ServerCommand(system, scenario, workspace, binary, portFile, serverCertificate), serverLog,
            system == SystemUnderTest.SecureActors ? serverEnvironment : environment);
        string? peerCheck = null;
        await using (server)
        {
            var portText = await server.WaitForFileAsync(portFile, StartTimeout);
            if (portText is null || !int.TryParse(portText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port))
            {
                return new Outcome(result with { Failure = $"server did not start (see {serverLog})" }, null);
            }

            if (system == SystemUnderTest.TlsPeer && checkPeer && openssl is not null && !scenario.ClientAuth)
            {
                peerCheck = await CheckPeerAsync(openssl, port, workspace);
            }

            IReadOnlyList<string> Client(Scenario shape, string report) => system == SystemUnderTest.SecureActors
                ? [binary, .. shape.SecureActorsLoadArguments(port, workspace.ServerFingerprint, workspace.ClientKey, report)]
                : [.. SelfCommand(), .. shape.PeerLoadArguments(port, serverCertificate, workspace.ClientPkcs12, report)];

            var warmup = scenario.Warmup();
            var warmupExit = await ChildProcess.RunAsync(Client(warmup, workspace.PathOf(tag + "-warmup.json")), clientLog,
                TimeSpan.FromSeconds(warmup.BoundSeconds + 30), clientEnvironment);
            if (warmupExit != 0)
            {
                return new Outcome(result with { Failure = $"warm-up exited with {warmupExit?.ToString(CultureInfo.InvariantCulture) ?? "a timeout"} (see {clientLog})" }, peerCheck);
            }

            var cpuBefore = ProcStat.CpuTime(server.Pid);
            var (rssBefore, _) = ProcStat.Memory(server.Pid);
            var exit = await ChildProcess.RunAsync(Client(scenario, json), clientLog, TimeSpan.FromSeconds(scenario.BoundSeconds + 30), clientEnvironment);
            var cpuAfter = ProcStat.CpuTime(server.Pid);
            var (_, rssPeak) = ProcStat.Memory(server.Pid);
            result = result with { ExitCode = exit, ServerCpu = cpuAfter - cpuBefore, RssBeforeKiB = rssBefore, RssPeakKiB = rssPeak };
            if (!File.Exists(json))
            {
                return new Outcome(result with { Failure = $"no report (client exit {exit?.ToString(CultureInfo.InvariantCulture) ?? "timeout"}; see {clientLog})" }, peerCheck);
            }

            return new Outcome(result.WithReport(await File.ReadAllTextAsync(json)), peerCheck);
        }
    }

    private static List<string> ServerCommand(
        SystemUnderTest system, Scenario scenario, Workspace workspace, string binary, string portFile, string serverCertificate)
    {
        if (system == SystemUnderTest.TlsPeer)
        {
            return [.. SelfCommand(), "tls-server", "--port", "0", "--port-file", portFile, "--cert-out", serverCertificate,
                .. scenario.ClientAuth ? new[] { "--trust-client", workspace.ClientCertificate } : []];
        }

        // Product defaults except: an RSA-2048 key (the peer's certificate size) and room for D's
        // 10,000 sessions plus the warm-up's (max-connections defaults to exactly 10,000).
        List<string> command =
        [
            binary, "serve", "--port", "0", "--port-file", portFile,
            "-c", "server.identity.key-bits = 2048",
            "-c", $"server.identity.key-file = \"{workspace.ServerKey}\"",
            "-c", "server.limits.max-connections = 12000",
        ];
        if (scenario.ClientAuth)
        {
            command.AddRange(["-c", "server.client-auth.policy = required", "-c", $"server.client-auth.authorized-clients = \"{workspace.AuthorizedClients}\""]);
        }

        return command;
    }

    /// <summary>What the peer negotiates with a default OpenSSL client (which offers X25519 and AES-256 first).</summary>
    private static async Task<string> CheckPeerAsync(string openssl, int port, Workspace workspace)
    {
        var log = workspace.PathOf("peer-check.log");
        File.Delete(log);
        // s_client closes as soon as its input ends; held open for a second, it also reads the session
        // tickets a server sends after the handshake (without that, whether any were seen was a race).
        await ChildProcess.RunAsync(
            ["/bin/sh", "-c", $"sleep 1 | \"$0\" s_client -connect 127.0.0.1:{port} -tls1_3", openssl], log, TimeSpan.FromSeconds(15));
        var lines = await File.ReadAllLinesAsync(log);
        var facts = lines.Where(l => l.Contains("Server Temp Key", StringComparison.Ordinal) || l.Contains("Cipher is", StringComparison.Ordinal)
            || l.Contains("Peer signature type", StringComparison.Ordinal) || l.Contains("Reused", StringComparison.Ordinal)
            || l.Contains("Server public key", StringComparison.Ordinal))
            .Select(l => l.Trim()).Distinct().ToList();
        facts.Add(lines.Any(l => l.Contains("Session Ticket arrived", StringComparison.Ordinal)) ? "a NewSessionTicket WAS sent" : "no NewSessionTicket received");
        return string.Join("; ", facts);
    }

    /// <summary>How to start this program again (apphost, or <c>dotnet SecureActors.Benchmarks.dll</c>).</summary>
    private static IReadOnlyList<string> SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        return Path.GetFileNameWithoutExtension(path) == "dotnet" ? [path, typeof(ScenarioRunner).Assembly.Location] : [path];
    }

    private static string Describe(RunResult r) => r.Succeeded
        ? string.Create(CultureInfo.InvariantCulture,
            $"[*] {r.Scenario.Name,-6} rep {r.Repetition} {r.System,-12}: {r.Handshakes} handshakes ({r.HandshakesPerSecond:0}/s), {r.Replies} replies ({r.MessagesPerSecond:0}/s, {r.MebibytesPerSecond:0.0} MiB/s) in {r.ElapsedSeconds:0.00} s; " +
            $"server CPU {r.ServerCpu.TotalSeconds:0.00} s = {r.CpuMillisPerConnection:0.000} ms/connection, {r.CpuMicrosPerMessage:0.0} µs/message; RSS {r.RssBeforeKiB / 1024.0:0} → {r.RssPeakKiB / 1024.0:0} MiB{(r.Scenario.Kind == ScenarioKind.Sessions ? $" ({r.PeakActiveSessions} sessions open at the peak)" : "")}; " +
            $"{(r.Clean ? "clean" : "NOT CLEAN " + r.Errors)}")
        : $"[!] {r.Scenario.Name,-6} rep {r.Repetition} {r.System,-12}: {r.Failure}";

    /// <summary>
    /// <c>--server-env NAME=VALUE,NAME=VALUE</c>: extra environment for our server processes only, to
    /// measure a runtime setting (e.g. <c>DOTNET_TieredPGO=0</c>) before making it the product's.
    /// <c>--client-env</c>: the same for both load clients (ours and the peer's), which stay alike.
    /// </summary>
    private static Dictionary<string, string>? ParseEnvironment(string? text, string option) => text?
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(
            pair => pair[0],
            pair => pair.Length == 2 ? pair[1] : throw new ArgumentException($"--{option}: '{pair[0]}' is not NAME=VALUE"));

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
