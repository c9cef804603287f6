using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using SecureActors.Server.Hosting;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Metrics;

/// <summary>The instruments dotnet-counters reads, observed through a MeterListener on one server's meter.</summary>
public sealed class ServerMetricsTests(ITestOutputHelper output)
{
    /// <summary>Collects one server's measurements; other servers in the process share the meter name, so instruments are matched by meter instance.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();

        public Recorder(SecureServer server)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, server.Metrics.Meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.Start();
        }

        public ConcurrentQueue<(string Name, double Value, string? Tag)> Measurements { get; } = new();

        public double Sum(string name, string? tag = null) =>
            Measurements.Where(m => m.Name == name && (tag is null || m.Tag == tag)).Sum(m => m.Value);

        public int Count(string name) => Measurements.Count(m => m.Name == name);

        /// <summary>The current value of an observable instrument.</summary>
        public double Observe(string name)
        {
            var before = Count(name);
            _listener.RecordObservableInstruments();
            return Measurements.Where(m => m.Name == name).Skip(before).Last().Value;
        }

        public void Dispose() => _listener.Dispose();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? tag = null;
            foreach (var (key, tagValue) in tags)
            {
                tag = $"{key}={tagValue}";
            }

            Measurements.Enqueue((instrument.Name, value, tag));
        }
    }

    [Fact]
    public async Task Metrics_SessionsMessagesAndAFailedHandshake_AreEachCountedOnTheServersMeter()
    {
        var (server, _) = await TestServers.StartAsync(output);
        await using (server)
        {
            using var recorder = new Recorder(server);
            await using (var client = await TestServers.ConnectAsync(server))
            {
                for (var i = 0; i < 5; i++)
                {
                    Assert.Equal($"m{i}", await client.SendAsync($"m{i}"));
                }

                Assert.Equal(1, recorder.Observe("secureactors.server.sessions.active"));
                Assert.Equal(1, recorder.Observe("secureactors.server.sessions.established"));
                await client.CloseAsync();
            }

            using (var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                // Not SAP/1 at all: a failed handshake counted as unexpected_message.
                await stranger.ConnectAsync(server.Endpoint);
                await stranger.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None);
                await Await.UntilAsync(() => recorder.Sum("secureactors.server.handshakes.failed") == 1);
            }

            await Await.UntilAsync(() => server.Metrics.ActiveSessions == 0);
            Assert.Equal(2, recorder.Sum("secureactors.server.connections.accepted"));
            Assert.Equal(1, recorder.Sum("secureactors.server.handshakes.completed"));
            Assert.Equal(1, recorder.Sum("secureactors.server.handshakes.failed", "alert=unexpected_message"));
            Assert.Equal(5, recorder.Sum("secureactors.server.messages.received"));
            Assert.Equal(5, recorder.Sum("secureactors.server.messages.sent"));
            Assert.True(recorder.Sum("secureactors.server.bytes.received") > 5 * 2);
            Assert.True(recorder.Sum("secureactors.server.bytes.sent") > 5 * 2);
            Assert.Equal(1, recorder.Count("secureactors.server.handshake.duration"));
            Assert.Equal(5, recorder.Count("secureactors.server.reply.duration"));
            Assert.All(recorder.Measurements.Where(m => m.Name.EndsWith(".duration", StringComparison.Ordinal)), m => Assert.True(m.Value >= 0));
            Assert.Equal(0, recorder.Observe("secureactors.server.sessions.active"));
            Assert.Equal(0, recorder.Observe("secureactors.server.crypto.queue_depth"));
        }
    }

    [Fact]
    public async Task Metrics_RefusedConnection_CountedWithTheLimitThatRefusedIt()
    {
        var (server, _) = await TestServers.StartAsync(output, "server.limits.max-connections = 1");
        await using (server)
        {
            using var recorder = new Recorder(server);
            await using var admitted = await TestServers.ConnectAsync(server);

            var noRetries = TestServers.ClientOptions(server) with { BusyRetries = 0 };

            await Assert.ThrowsAsync<SecureActors.Client.ServerBusyException>(() => TestServers.ConnectAsync(server, noRetries).WaitAsync(Await.Bound));

            Assert.Equal(1, recorder.Sum("secureactors.server.connections.refused", "reason=max-connections"));
            Assert.Equal(new Dictionary<string, long> { ["max-connections"] = 1 }, server.Metrics.Snapshot().RefusedByLimit);
        }
    }

    [Fact]
    public void AlertName_ServerBusy_IsItsSnakeCaseProtocolName()
    {
        Assert.Equal("server_busy", SecureActors.Server.Metrics.ServerMetrics.AlertName(SecureActors.Protocol.AlertDescription.ServerBusy));
    }
}
