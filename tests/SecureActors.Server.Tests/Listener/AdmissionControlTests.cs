using System.Net;
using SecureActors.Hocon;
using SecureActors.Server.Listener;

namespace SecureActors.Server.Tests.Listener;

public sealed class AdmissionControlTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");

    private static LimitSettings Limits(string hocon) =>
        LimitSettings.FromConfig(new SettingsSection(ConfigFactory.ParseString(hocon).WithFallback(ServerSettings.Reference).GetConfig("server.limits"), "server.limits"));

    private static AdmissionControl Create(string hocon, double random = 1.0, ManualClock? clock = null) =>
        new(Limits(hocon), () => random, clock ?? new ManualClock());

    [Fact]
    public void Admission_MaxConnectionsReached_RefusesUntilOneCloses()
    {
        var admission = Create("server.limits.max-connections = 2");
        Assert.Null(admission.TryAdmit(A));
        Assert.Null(admission.TryAdmit(B));

        Assert.Equal("max-connections", admission.TryAdmit(A));

        admission.Closed(B, wasHandshaking: true);
        Assert.Null(admission.TryAdmit(B));
    }

    [Fact]
    public void Admission_PerSourceHandshakingCap_RefusesOnlyThatSource()
    {
        var admission = Create("server.limits.per-source.max-handshaking = 2");
        Assert.Null(admission.TryAdmit(A));
        Assert.Null(admission.TryAdmit(A));

        Assert.Equal("per-source-handshaking", admission.TryAdmit(A));
        Assert.Null(admission.TryAdmit(B));

        admission.HandshakeCompleted(A);
        Assert.Null(admission.TryAdmit(A));
        Assert.Equal((3, 2), admission.CountsFor(A));
    }

    [Fact]
    public void Admission_ExemptAddress_SkipsPerSourceLimits()
    {
        var admission = Create("""server.limits.per-source { max-handshaking = 1, exempt = ["192.0.2.1"] }""");

        Assert.Null(admission.TryAdmit(A));
        Assert.Null(admission.TryAdmit(A));
        Assert.Null(admission.TryAdmit(B));
        Assert.Equal("per-source-handshaking", admission.TryAdmit(B));
    }

    [Fact]
    public void Admission_HandshakeRateExceeded_RefusesThenRefillsOverTime()
    {
        var clock = new ManualClock();
        var admission = Create("server.limits.per-source { handshakes-per-second = 2, handshake-burst = 2, max-handshaking = 100 }", clock: clock);
        Assert.Null(admission.TryAdmit(A));
        Assert.Null(admission.TryAdmit(A));

        Assert.Equal("per-source-rate", admission.TryAdmit(A));

        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Null(admission.TryAdmit(A));
        Assert.Equal("per-source-rate", admission.TryAdmit(A));
    }

    [Fact]
    public void Admission_ClosingAndReconnecting_DoesNotResetTheRateBucket()
    {
        var admission = Create("server.limits.per-source { handshakes-per-second = 1, handshake-burst = 1 }");
        Assert.Null(admission.TryAdmit(A));
        admission.Closed(A, wasHandshaking: true);

        Assert.Equal("per-source-rate", admission.TryAdmit(A));
    }

    [Fact]
    public void Admission_HandshakingBetweenEarlyDropAndMax_DropsWithRisingProbability()
    {
        var admission = Create("server.limits { early-drop-from = 1, max-handshaking = 3, per-source.exempt = [\"192.0.2.1\"] }", random: 0.4);
        Assert.Null(admission.TryAdmit(A));                // 0 handshaking: below early-drop-from
        Assert.Null(admission.TryAdmit(A));                // 1 handshaking: p = 0/2
        Assert.Equal("early-drop", admission.TryAdmit(A)); // 2 handshaking: p = 1/2 > 0.4
    }

    internal sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
