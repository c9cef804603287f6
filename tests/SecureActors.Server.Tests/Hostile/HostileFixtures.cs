using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using SecureActors.Client;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Hosting;
using SecureActors.Server.Tests.Support;
using Serilog.Events;

namespace SecureActors.Server.Tests.Hostile;

/// <summary>
/// A client-library session that echoes in a paced loop for as long as its server lives (bounded:
/// at most <see cref="MaxEchoes"/> echoes and <see cref="MaxRun"/>). Hostile tests ask it, after
/// their attack, to make progress with no error: the catalogue's "bystander must never notice".
/// </summary>
internal sealed class Bystander : IAsyncDisposable
{
    private const int MaxEchoes = 20_000;
    private static readonly TimeSpan MaxRun = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(15);
    private readonly SecureClient _client;
    private readonly CancellationTokenSource _stop = new(MaxRun);
    private readonly ConcurrentQueue<string> _errors = new();
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private long _echoes;

    private Bystander(SecureClient client) => _client = client;

    public long Echoes => Interlocked.Read(ref _echoes);

    public static async Task<Bystander> StartAsync(SecureClientOptions options)
    {
        var bystander = new Bystander(await SecureClient.ConnectAsync(options));
        bystander._loop = Task.Run(bystander.LoopAsync);
        return bystander;
    }

    /// <summary>Waits for a few more correct echoes and asserts none ever failed.</summary>
    public async Task AssertUnharmedAsync(int moreEchoes = 3)
    {
        var target = Echoes + moreEchoes;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Echoes < target && _errors.IsEmpty && !_loop.IsCompleted)
        {
            await Volatile.Read(ref _progress).Task.WaitAsync(deadline.Token);
        }

        Assert.Empty(_errors);
        Assert.True(Echoes >= target, $"bystander stalled at {Echoes} echoes");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Assert.Empty(_errors);
        await _client.CloseAsync();
        await _client.DisposeAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Pace);
        try
        {
            for (var i = 0; i < MaxEchoes && !_stop.IsCancellationRequested; i++)
            {
                var expected = $"bystander-{i}";
                var reply = await _client.SendAsync(expected).WaitAsync(TimeSpan.FromSeconds(5));
                if (reply != expected)
                {
                    _errors.Enqueue($"echo {i}: got '{reply}'");
                }

                Interlocked.Increment(ref _echoes);
                Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                await timer.WaitForNextTickAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the fixture.
        }
        catch (Exception e)
        {
            _errors.Enqueue($"bystander failed after {Echoes} echoes: {e.GetType().Name}: {e.Message}");
            _progress.TrySetResult();
        }
    }
}

/// <summary>One real server on 127.0.0.1 per test class, with a bystander echoing for the class's whole run.</summary>
public abstract class HostileServerFixture : IAsyncLifetime
{
    internal SecureServer Server { get; private set; } = null!;

    internal XunitLogSink Log { get; private set; } = null!;

    internal Bystander Bystander { get; private set; } = null!;

    internal IPEndPoint Endpoint => Server.Endpoint;

    protected virtual string Hocon => "";

    private protected virtual SecureServerOptions? Options => null;

    private protected virtual SecureClientOptions BystanderOptions(SecureClientOptions defaults) => defaults;

    public async Task InitializeAsync()
    {
        (Server, Log) = await TestServers.StartAsync(null, Hocon, Options);
        Bystander = await Bystander.StartAsync(BystanderOptions(TestServers.ClientOptions(Server)));
    }

    public async Task DisposeAsync()
    {
        await Bystander.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>Waits (bounded, polling the log sink) for a log line about our connection that satisfies <paramref name="match"/>.</summary>
    internal async Task<string> AwaitLogAsync(string localEndpoint, Func<string, bool> match)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (true)
        {
            var line = Log.Events.Select(Render).FirstOrDefault(m => m.Contains(localEndpoint, StringComparison.Ordinal) && match(m));
            if (line is not null)
            {
                return line;
            }

            try
            {
                await tick.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                var seen = Log.Events.Select(Render).Where(m => m.Contains(localEndpoint, StringComparison.Ordinal));
                Assert.Fail($"no matching log line about {localEndpoint} within 8 s; its lines:{Environment.NewLine}{string.Join(Environment.NewLine, seen)}");
            }
        }
    }

    internal bool AnyLog(string localEndpoint, Func<string, bool> match) =>
        Log.Events.Select(Render).Any(m => m.Contains(localEndpoint, StringComparison.Ordinal) && match(m));

    private static string Render(LogEvent e) =>
        e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + " " + string.Join(' ', e.Properties.Select(p => p.Value.ToString()));
}

/// <summary>Default server, handshake deadline shortened to 2 s (row 1), FFDHE listed so its share checks are in play.</summary>
public sealed class MainServerFixture : HostileServerFixture
{
    protected override string Hocon => """
        server.session.handshake-timeout = 2 s
        server.protocol.groups = [secp256r1, secp384r1, ffdhe2048]
        """;
}

/// <summary>Client authentication required (plus an optional-policy twin for row 23); Alice and the bystander are listed, Mallory is not.</summary>
public sealed class AuthServerFixture : HostileServerFixture, IAsyncLifetime
{
    internal static readonly RSA Alice = RSA.Create(2048);
    internal static readonly RSA Mallory = RSA.Create(2048);
    private static readonly RSA BystanderKey = RSA.Create(2048);

    private static AuthorizedClients Authorized => AuthorizedClients.Parse(
        [
            $"sap-rsa {Convert.ToBase64String(Alice.ExportSubjectPublicKeyInfo())} alice",
            $"sap-rsa {Convert.ToBase64String(BystanderKey.ExportSubjectPublicKeyInfo())} bystander",
        ],
        "hostile-test");

    internal SecureServer Optional { get; private set; } = null!;

    protected override string Hocon => "server.client-auth.policy = required";

    private protected override SecureServerOptions? Options => new() { Authorizer = Authorized };

    private protected override SecureClientOptions BystanderOptions(SecureClientOptions defaults) =>
        defaults with { Identity = new LocalIdentity(BystanderKey) };

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        (Optional, _) = await TestServers.StartAsync(null, "server.client-auth.policy = optional", new SecureServerOptions { Authorizer = Authorized });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Optional.DisposeAsync();
        await DisposeAsync();
    }
}

/// <summary>Per-source limits switched on for loopback (row 44) and a small outbound queue (row 48).</summary>
public sealed class DosServerFixture : HostileServerFixture
{
    protected override string Hocon => """
        server.limits.per-source.exempt = []
        server.limits.per-source.max-handshaking = 8
        server.limits.per-source.max-connections = 200
        server.limits.per-source.handshakes-per-second = 1000
        server.limits.per-source.handshake-burst = 1000
        server.session.outbound-queue-limit = 256 KiB
        """;
}
