using System.Globalization;
using SecureActors.Client.Load;

namespace SecureActors.Server.Tests.Faults;

/// <summary>
/// How large the fault scenarios run. CI runs them at <see cref="CiSessions"/> sessions so the suite
/// stays short; <c>make faults</c> sets <see cref="Variable"/> to thousands, and every figure that
/// depends on the size follows it: the load's sessions and rate, how many connections each fault
/// touches, and the waits for work that grows with the sessions.
/// </summary>
internal sealed class FaultScale
{
    public const string Variable = "SECUREACTORS_FAULT_SESSIONS";

    public const int CiSessions = 200;

    /// <summary>
    /// Messages/s per session. At thousands of sessions the rate stops growing at <see cref="MaxRate"/>:
    /// the load client and the server share this process and its two cores, and at 6,000 messages/s
    /// over 2,000 sessions, with the ramp still under way, a fresh client's handshake waited past
    /// crypto-timeout: overload, not the fault under test.
    /// </summary>
    private const double RatePerSession = 10;

    private const double MaxRate = 4000;

    private FaultScale(int sessions) => Sessions = sessions;

    public static FaultScale Current { get; } = FromEnvironment();

    public int Sessions { get; }

    /// <summary>How many times the CI size this run is (1 in CI).</summary>
    public double Factor => (double)Sessions / CiSessions;

    public double Rate => Math.Min(Sessions * RatePerSession, MaxRate);

    /// <summary>
    /// Handshakes/s that churn asks for: 2,000 messages/s with a reconnect every 12 in CI. At
    /// thousands of sessions their traffic leaves the two shared cores room for far fewer
    /// handshakes on top of the ramp: at 100/s over 2,000 sessions about 1,300 handshakes were
    /// still queued when the load stopped, and requests that wait past crypto-timeout fail as
    /// slow, not lost, which would blur what the crashes did. 60/s keeps the queue short.
    /// </summary>
    public double ChurnHandshakesPerSecond => Factor <= 1 ? 2000.0 / 12 : 60;

    /// <summary>
    /// How long a handshake waits for a crypto worker before calling its request lost. 1 s in CI, so
    /// a lost request fails fast; at thousands of sessions the ramp alone queues crypto requests for
    /// over a second on two cores (1 s failed 1,437 handshakes for 374 faults), so the shipped 3 s.
    /// </summary>
    public TimeSpan CryptoTimeout => TimeSpan.FromSeconds(Factor <= 1 ? 1 : 3);

    /// <summary>Sessions open evenly over this time: 200 a second, a pace every handshake keeps up with.</summary>
    public TimeSpan RampUp => TimeSpan.FromSeconds(Math.Max(1, Sessions / 200.0));

    /// <summary>
    /// Lifts the global handshaking caps above the load's sessions: ramping them up on a busy 2-core
    /// machine keeps more than 64 handshakes open, and random early drop (a refusal with
    /// internal_error, by design) would otherwise blur what the injected fault did.
    /// </summary>
    public string NoEarlyDrop => string.Create(
        CultureInfo.InvariantCulture,
        $"server.limits.max-handshaking = {Math.Max(1000, 2 * Sessions)}\nserver.limits.early-drop-from = {Math.Max(1000, 2 * Sessions)}\n");

    /// <summary>A count that is <paramref name="atCiSize"/> in CI and grows in proportion to the sessions.</summary>
    public int Of(int atCiSize) => Math.Max(1, (int)Math.Round(atCiSize * Factor));

    /// <summary>A bound on work that grows with the sessions (bringing them all up, releasing them all).</summary>
    public TimeSpan Patience(TimeSpan atCiSize) => atCiSize * Math.Max(1, Factor);

    /// <summary>
    /// The scenarios' open-loop load at this size; with <paramref name="churn"/>, sessions reconnect
    /// often enough to ask for <see cref="ChurnHandshakesPerSecond"/> (every 12 messages in CI).
    /// </summary>
    public LoadSettings OpenLoop(bool churn = false) => Reliability.OpenLoop(
        Sessions,
        Rate,
        reconnectEvery: churn ? (long)Math.Round(Rate / ChurnHandshakesPerSecond) : 0,
        rampUp: RampUp,
        maxDuration: Patience(TimeSpan.FromSeconds(60)));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sessions} sessions at {Rate:F0} msg/s");

    private static FaultScale FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new FaultScale(CiSessions);
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var sessions) || sessions < 1 || sessions > 20_000)
        {
            throw new InvalidOperationException($"{Variable} must be a number of sessions between 1 and 20000, not \"{text}\"");
        }

        return new FaultScale(sessions);
    }
}
