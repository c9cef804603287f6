using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SecureActors.Actors.TestKit;
using SecureActors.Client;
using SecureActors.Client.Load;
using SecureActors.Protocol;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Hosting;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Faults;

/// <summary>
/// The fault and exhaustion scenarios measure open sockets and managed memory of this process, so
/// they run alone: not in parallel with each other nor with any other test class.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityScenarios
{
    public const string Name = "Reliability (runs alone)";
}

/// <summary>
/// Open sockets, managed memory and (given the server) live actors before a scenario, and the
/// bounded wait for the server to come back to them afterwards: no sessions, no handshakes, no
/// session actors, no extra actors or file descriptors.
/// </summary>
internal sealed record ResourceBaseline(int Fds, long ManagedBytes, int? Actors)
{
    /// <summary>Descriptors the runtime may open on its own meanwhile (thread-pool and timer plumbing).</summary>
    private const int FdSlack = 8;

    /// <summary>The baseline; with <paramref name="server"/>, its whole actor tree is counted too.</summary>
    public static ResourceBaseline Take(SecureServer? server = null) =>
        new(OpenFds(), SettledManagedBytes(), server is null ? null : ActorCensus.CountLive(server.System));

    /// <summary>This process's open file descriptors (sockets included); 0 where /proc is missing.</summary>
    public static int OpenFds() => Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : 0;

    public static long SettledManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// Polls (bounded) until the server holds no session and the process no extra socket or actor,
    /// then checks memory. The session actors are counted twice on purpose: by the listener's own
    /// bookkeeping and by walking the actor tree, so neither can hide a leak from the other.
    /// Returns what it saw, for the scenario's figures.
    /// </summary>
    public async Task<string> AssertServerBackAsync(SecureServer server, long managedSlackBytes = 48L << 20)
    {
        string last;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var counts = await TestServers.ListenerCountsAsync(server);
            var sessionActors = ActorCensus.CountLive(server.System, "/user/server/listener/*");
            var actors = ActorCensus.CountLive(server.System);
            var fds = OpenFds();
            last = string.Create(CultureInfo.InvariantCulture, $"active sessions {server.Metrics.ActiveSessions}, listener open {counts.Open}, handshaking {counts.Handshaking}, session actors {sessionActors}, actors {actors} (baseline {Actors?.ToString(CultureInfo.InvariantCulture) ?? "not taken"}), fds {fds} (baseline {Fds})");
            if (server.Metrics.ActiveSessions == 0 && counts.Open == 0 && counts.Handshaking == 0 && sessionActors == 0
                && (Actors is null || actors == Actors) && fds <= Fds + FdSlack)
            {
                break;
            }

            Assert.True(deadline.Elapsed < Reliability.SettleBound, $"the server did not return to its baseline within {Reliability.SettleBound.TotalSeconds} s: {last}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        var managed = AssertMemoryBack(managedSlackBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{last}, managed heap {ManagedBytes >> 20} -> {managed >> 20} MiB, settled in {deadline.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>After a stopped server: only the process's own descriptors remain.</summary>
    public async Task AssertSocketsBackAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (OpenFds() > Fds + FdSlack)
        {
            Assert.True(deadline.Elapsed < Reliability.SettleBound, $"open fds stayed at {OpenFds()} (baseline {Fds})");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Checks the settled managed heap against the baseline and returns it.</summary>
    public long AssertMemoryBack(long managedSlackBytes = 48L << 20)
    {
        var now = SettledManagedBytes();
        Assert.True(now - ManagedBytes < managedSlackBytes, $"managed heap grew from {ManagedBytes >> 20} MiB to {now >> 20} MiB");
        return now;
    }
}

/// <summary>Shared pieces of the fault and exhaustion scenarios.</summary>
internal static class Reliability
{
    /// <summary>How long the server may take to release everything after a scenario (generous: the machine is shared).</summary>
    public static readonly TimeSpan SettleBound = FaultScale.Current.Patience(TimeSpan.FromSeconds(30));

    /// <inheritdoc cref="FaultScale.NoEarlyDrop"/>
    public static string NoEarlyDrop => FaultScale.Current.NoEarlyDrop;

    /// <summary>A second loopback address: an attacker the per-source limits see apart from 127.0.0.1.</summary>
    public static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");

    /// <summary>
    /// An open-loop load: <paramref name="connections"/> sessions, pipelined, at <paramref name="rate"/>
    /// messages/s overall, sizes 64..512 B, every reply verified. It runs until cancelled (max
    /// <paramref name="maxDuration"/>, 60 s unless given).
    /// </summary>
    public static LoadSettings OpenLoop(
        int connections = 200, double rate = 2000, int pipeline = 4, long reconnectEvery = 0, TimeSpan? rampUp = null, TimeSpan? maxDuration = null) =>
        LoadSettings.FromConfig(SecureClientOptions.ReferenceConfig) with
        {
            Connections = connections,
            RampUp = rampUp ?? TimeSpan.FromSeconds(1),
            MessagesPerConnection = 0,
            Duration = TimeSpan.Zero,
            Size = 64,
            SizeMax = 512,
            Pipeline = pipeline,
            Rate = rate,
            ReconnectEvery = reconnectEvery,
            MaxDuration = maxDuration ?? TimeSpan.FromSeconds(60),
            DrainTimeout = TimeSpan.FromSeconds(10),
            Seed = 8,
        };

    /// <summary>A load run in the background, with a handle to stop it and wait for progress.</summary>
    public static BackgroundLoad StartLoad(SecureServer server, LoadSettings settings) => new(server, settings);

    /// <summary>The bytes a client sends first: the magic and a ClientHello (fresh keys), ready to replay.</summary>
    public static byte[] ClientFirstFlight(string fingerprint)
    {
        using var machine = new ClientHandshake(ProtocolOptions.Default, new PinnedServerTrust(fingerprint));
        var step = machine.Start();
        var bytes = new List<byte>(step.Output.ToArray());
        for (var i = 0; i < 4 && step is { Status: HandshakeStatus.AwaitingCrypto, Operation: { } operation }; i++)
        {
            step = machine.Complete(operation.Execute());
            bytes.AddRange(step.Output.ToArray());
        }

        Assert.Equal(HandshakeStatus.NeedInput, step.Status);
        return [.. bytes];
    }

    public static async Task<Socket> ConnectRawAsync(IPEndPoint server, IPAddress? from = null, int receiveBuffer = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(server, timeout.Token);
        return socket;
    }

    /// <summary>Closes with a TCP reset (SO_LINGER 0) instead of a FIN: an abrupt kill.</summary>
    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already reset by the peer: closing is all that is left.
        }

        socket.Dispose();
    }

    /// <summary>Reads until the peer closes (or <paramref name="bound"/> passes) and returns what arrived.</summary>
    public static async Task<(byte[] Received, bool Closed)> ReadUntilClosedAsync(Socket socket, TimeSpan bound, int limit = 1 << 16)
    {
        var received = new List<byte>();
        var chunk = new byte[4096];
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            while (received.Count < limit)
            {
                var read = await socket.ReceiveAsync(chunk, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    return ([.. received], true);
                }

                received.AddRange(chunk.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException)
        {
            return ([.. received], false);
        }
        catch (SocketException)
        {
            return ([.. received], true);
        }

        return ([.. received], false);
    }

    /// <summary>One fresh session: handshake, one echo, close. Returns how long it took.</summary>
    public static async Task<TimeSpan> HandshakeAndEchoAsync(SecureServer server, string text)
    {
        var started = Stopwatch.GetTimestamp();
        await using var client = await TestServers.ConnectAsync(server).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(text, await client.SendAsync(text).WaitAsync(TimeSpan.FromSeconds(15)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await client.CloseAsync().WaitAsync(TimeSpan.FromSeconds(15));
        return elapsed;
    }

    /// <summary>
    /// A client that sends 16 kB requests and never reads a reply, until the server drops it (bounded
    /// by <paramref name="maxRequests"/> and <paramref name="bound"/>). Returns whether it was dropped.
    /// </summary>
    public static async Task<bool> FloodWithoutReadingAsync(SecureServer server, XunitLogSink log, int maxRequests = 4000, TimeSpan? bound = null)
    {
        await using var sleeper = await RawClient.ConnectAsync(server.Endpoint, server.Fingerprint, receiveBuffer: 4096);
        var local = sleeper.Socket.LocalEndPoint!.ToString()!;
        // Only drop events are rendered: at thousands of sessions the log holds tens of thousands of others.
        bool Dropped() => log.Events
            .Where(e => e.MessageTemplate.Text.Contains("stopped reading", StringComparison.Ordinal))
            .Any(e => e.RenderMessage(CultureInfo.InvariantCulture).Contains(local, StringComparison.Ordinal));
        var payload = new byte[16_000];
        using var timeout = new CancellationTokenSource(bound ?? TimeSpan.FromSeconds(20));
        try
        {
            for (var i = 0; i < maxRequests && (i % 8 != 0 || !Dropped()); i++)
            {
                await sleeper.SendRequestAsync(payload, timeout.Token);
            }
        }
        catch (SocketException)
        {
            // Reset mid-write: the drop we are waiting for.
        }
        catch (OperationCanceledException)
        {
            // The server held its receive side (backpressure) and we are blocked writing; the log decides.
        }

        var deadline = Stopwatch.StartNew();
        while (!Dropped() && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return Dropped();
    }

    /// <summary>Writes a figure line to the test output and, when SECUREACTORS_RELIABILITY_FIGURES names a file, appends it there.</summary>
    public static void Figure(ITestOutputHelper output, string scenario, FormattableString text)
    {
        var line = $"{scenario}: {text.ToString(CultureInfo.InvariantCulture)}";
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("SECUREACTORS_RELIABILITY_FIGURES") is { Length: > 0 } path)
        {
            lock (typeof(Reliability))
            {
                File.AppendAllText(path, line + Environment.NewLine);
            }
        }
    }

    public static string Describe(LoadReport r) => string.Create(
        CultureInfo.InvariantCulture,
        $"sessions {r.Sessions.HandshakesOk} (handshakes failed {r.Sessions.HandshakesFailed}, sessions failed {r.Sessions.Failed}), messages sent {r.Messages.Sent}, replies ok {r.Verification.Ok}, lost {r.Verification.Lost}, duplicated {r.Verification.Duplicated}, corrupted {r.Verification.Corrupted}, reordered {r.Verification.Reordered}, failed in flight {r.Verification.FailedInFlight}, errors [{string.Join("; ", r.Errors.Select(e => $"{e.Key}: {e.Value}"))}], rtt p99 {r.RoundTripLatency.P99Ms} ms");

    /// <summary>The load saw nothing lost, duplicated, corrupted or reordered, and every message it sent was answered.</summary>
    public static void AssertUntouched(LoadReport report)
    {
        Assert.True(report.Clean, "the load's sessions were not all clean: " + Describe(report));
        Assert.True(report.Verification.Ok > 0, "the load sent nothing");
    }
}

/// <summary>An open-loop load run against a server, started at once and stopped on request.</summary>
internal sealed class BackgroundLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly LoadRunner _runner;
    private readonly Task<LoadReport> _run;

    public BackgroundLoad(SecureServer server, LoadSettings settings)
    {
        _runner = new LoadRunner(TestServers.ClientOptions(server), settings);
        _run = Task.Run(() => _runner.RunAsync(_stop.Token));
    }

    public LoadStatistics Statistics => _runner.Statistics;

    /// <summary>Waits (bounded) until <paramref name="more"/> further replies have been verified: the load is flowing.</summary>
    public async Task FlowingAsync(long more = 1000)
    {
        var target = Statistics.RepliesOk.Value + more;
        var deadline = Stopwatch.StartNew();
        while (Statistics.RepliesOk.Value < target)
        {
            Assert.False(_run.IsCompleted, "the load ended early");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"the load stalled at {Statistics.RepliesOk.Value} replies");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>
    /// Waits (bounded) until every session slot has made its first handshake, successful or not:
    /// the fault then strikes a server holding the whole load, not one still ramping up.
    /// </summary>
    public async Task RampedAsync()
    {
        var bound = FaultScale.Current.Patience(TimeSpan.FromSeconds(30));
        var deadline = Stopwatch.StartNew();
        while (Interlocked.Read(ref Statistics.HandshakesOk) + Interlocked.Read(ref Statistics.HandshakesFailed) < _runner.Settings.Connections)
        {
            Assert.False(_run.IsCompleted, "the load ended early");
            Assert.True(deadline.Elapsed < bound, $"only {Statistics.HandshakesOk} of {_runner.Settings.Connections} sessions came up ({Statistics.HandshakesFailed} failed)");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>
    /// Waits (bounded) until the sessions have made <paramref name="reconnections"/> handshakes beyond
    /// their first, successful or not: churn is under way, not merely configured.
    /// </summary>
    public Task ChurnedAsync(long reconnections, Func<bool>? andAlso = null) => Await.UntilAsync(
        () => Interlocked.Read(ref Statistics.HandshakesOk) + Interlocked.Read(ref Statistics.HandshakesFailed) >= _runner.Settings.Connections + reconnections
            && (andAlso?.Invoke() ?? true),
        FaultScale.Current.Patience(TimeSpan.FromSeconds(30)));

    /// <summary>Waits (bounded) until <paramref name="sessions"/> handshakes have completed.</summary>
    public async Task EstablishedAsync(long sessions)
    {
        var bound = FaultScale.Current.Patience(TimeSpan.FromSeconds(30));
        var deadline = Stopwatch.StartNew();
        while (Interlocked.Read(ref Statistics.HandshakesOk) < sessions)
        {
            Assert.True(deadline.Elapsed < bound, $"only {Statistics.HandshakesOk} of {sessions} sessions came up");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Stops sending, drains, and returns the report.</summary>
    public async Task<LoadReport> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run.WaitAsync(TimeSpan.FromSeconds(45));
    }

    /// <summary>Waits for the run to end by itself (the server went away) and returns the report.</summary>
    public Task<LoadReport> EndedAsync() => _run.WaitAsync(TimeSpan.FromSeconds(45));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(45));
        }
        catch (Exception) when (_run.IsFaulted || !_run.IsCompleted)
        {
            // Disposal after a failed assertion: the assertion is the story.
        }

        _runner.Dispose();
        _stop.Dispose();
    }
}
