using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using SecureActors.Client.Load;

namespace SecureActors.Benchmarks.TlsPeer;

/// <summary>The run shape of <c>tls-load</c> (see <see cref="TlsLoadClient"/> for what each option means).</summary>
internal sealed record PeerLoadSettings
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required int Connections { get; init; }

    public required long Messages { get; init; }

    public required int Size { get; init; }

    public required int Pipeline { get; init; }

    public required long ReconnectEvery { get; init; }

    public required bool HandshakeOnly { get; init; }

    public required TimeSpan RampUp { get; init; }

    public required double Rate { get; init; }

    public required TimeSpan MaxDuration { get; init; }

    /// <summary>Connect every session first; sending and the clock start when the last is up (as our client's start-together).</summary>
    public bool StartTogether { get; init; }

    /// <summary>Messages per session of the unmeasured warm-up that ran before this run (reported only).</summary>
    public long WarmupMessagesPerSession { get; init; }
}

/// <summary>One bounded run of the peer load client; counters and histograms are our load client's.</summary>
internal sealed class PeerLoadRun
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly PeerLoadSettings _settings;
    private readonly SslClientAuthenticationOptions _tls;
    private readonly IPEndPoint _endpoint;
    private readonly PayloadFactory _payloads;
    private readonly LoadStatistics _stats = new();
    private readonly TaskCompletionSource _allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _deadline = new();
    private long _slotsAnswering;
    private long _peakActive;
    private readonly StartBarrier _startBarrier;
    private long _start;

    public PeerLoadRun(PeerLoadSettings settings, SslClientAuthenticationOptions tls)
    {
        _settings = settings;
        _startBarrier = new StartBarrier(settings.Connections, () => Volatile.Write(ref _start, Stopwatch.GetTimestamp()));
        _tls = tls;
        _endpoint = new IPEndPoint(IPAddress.Parse(settings.Host), settings.Port);
        _payloads = new PayloadFactory(settings.Size, settings.Size, seed: 1);
        _slotsAnswering = settings.Connections;
    }

    private bool IsOpenLoop => _settings.Rate > 0;

    public async Task<LoadReport> RunAsync()
    {
        using var deadline = new CancellationTokenSource(_settings.MaxDuration);
        _deadline = deadline;
        var startedAt = DateTimeOffset.UtcNow;
        _start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, _settings.Connections).Select(i => Task.Run(() => RunSlotAsync((uint)i))));
        var elapsed = Stopwatch.GetElapsedTime(_start);
        return Report(startedAt, elapsed, deadline.IsCancellationRequested);
    }

    private async Task RunSlotAsync(uint slot)
    {
        var token = _deadline.Token;
        long slotSent = 0;
        var answering = true;
        var arrived = false;
        try
        {
            var offset = _settings.Connections <= 1 ? TimeSpan.Zero : _settings.RampUp * ((double)slot / _settings.Connections);
            await Task.Delay(offset, token);
            var remaining = _settings.Messages;
            for (uint generation = 0; remaining > 0; generation++)
            {
                var ssl = await ConnectAsync(token);
                if (_settings.StartTogether && !arrived)
                {
                    arrived = true;
                    var everyone = _startBarrier.ArriveAsync();
                    if (ssl is not null)
                    {
                        await everyone.WaitAsync(token);
                    }
                }

                if (ssl is null)
                {
                    return;
                }

                await using (ssl)
                {
                    try
                    {
                        var quota = _settings.HandshakeOnly ? 0
                            : _settings.ReconnectEvery > 0 ? Math.Min(_settings.ReconnectEvery, remaining) : remaining;
                        await ExchangeAsync(ssl, slot, generation, quota, slotSent, token);
                        slotSent += quota;
                        remaining -= _settings.HandshakeOnly ? 1 : quota;
                        if (remaining == 0 && IsOpenLoop)
                        {
                            // Open loop holds every session open until the last reply of the run, like ours.
                            SlotAnswered(ref answering);
                            await _allAnswered.Task.WaitAsync(token);
                        }

                        await CloseAsync(ssl, token);
                    }
                    catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidDataException)
                    {
                        Interlocked.Increment(ref _stats.SessionsFailed);
                        _stats.CountError(Kind(e, token));
                        return;
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _stats.SessionsActive);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _stats.CountError("timeout (max-duration)");
        }
        finally
        {
            if (_settings.StartTogether && !arrived)
            {
                _ = _startBarrier.ArriveAsync();
            }

            SlotAnswered(ref answering);
        }
    }

    private void SlotAnswered(ref bool answering)
    {
        if (answering)
        {
            answering = false;
            if (Interlocked.Decrement(ref _slotsAnswering) == 0)
            {
                _allAnswered.TrySetResult();
            }
        }
    }

    /// <summary>TCP connect and full TLS handshake, timed together like our client's handshake latency.</summary>
    private async Task<SslStream?> ConnectAsync(CancellationToken token)
    {
        var started = Stopwatch.GetTimestamp();
        var socket = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? ssl = null;
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(token);
            handshake.CancelAfter(HandshakeTimeout);
            await socket.ConnectAsync(_endpoint, handshake.Token);
            ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(_tls, handshake.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException
            or System.Security.Authentication.AuthenticationException)
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync();
            }

            socket.Dispose();
            Interlocked.Increment(ref _stats.HandshakesFailed);
            Interlocked.Increment(ref _stats.SessionsFailed);
            _stats.CountError(Kind(e, token) + " (handshake)");
            return null;
        }

        _stats.Handshake.Record(LoadStatistics.ElapsedMicros(started, Stopwatch.GetTimestamp()));
        Interlocked.Increment(ref _stats.HandshakesOk);
        var active = Interlocked.Increment(ref _stats.SessionsActive);
        for (var peak = Interlocked.Read(ref _peakActive); active > peak; peak = Interlocked.Read(ref _peakActive))
        {
            Interlocked.CompareExchange(ref _peakActive, active, peak);
        }

        return ssl;
    }

    /// <summary>
    /// Sends <paramref name="quota"/> messages keeping up to <c>pipeline</c> in flight and verifies every
    /// echo in order. One task per connection: each read's complete replies are checked, then as many
    /// new requests as they freed go out in one write.
    /// </summary>
    private async Task ExchangeAsync(SslStream ssl, uint slot, uint generation, long quota, long slotSent, CancellationToken token)
    {
        if (quota == 0)
        {
            return;
        }

        var frame = 4 + _settings.Size;
        var window = (int)Math.Min(_settings.Pipeline, quota);
        var send = new byte[window * frame];
        var receive = new byte[Math.Max(frame, 16 * 1024 + 4)];
        var sentAt = new long[window];
        long sent = 0;
        long received = 0;
        var filled = 0;

        async Task SendAsync(long count)
        {
            var length = 0;
            for (var i = 0; i < count; i++, sent++)
            {
                var at = Stopwatch.GetTimestamp();
                if (IsOpenLoop)
                {
                    // Message i of the run (i = this slot's n-th message × N + slot) is due at t0 + i / rate.
                    var index = ((slotSent + sent) * _settings.Connections) + slot;
                    at = _start + (long)(index * Stopwatch.Frequency / _settings.Rate);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), at);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, token);
                    }
                }

                var payload = send.AsSpan(length + 4, _settings.Size);
                var size = _payloads.Write(payload, slot, generation, (ulong)sent);
                BinaryPrimitives.WriteUInt32BigEndian(send.AsSpan(length), (uint)size);
                length += 4 + size;
                sentAt[sent % window] = at;
            }

            await ssl.WriteAsync(send.AsMemory(0, length), token);
            _stats.MessagesSent.Add(count);
            _stats.PayloadBytesSent.Add(count * _settings.Size);
        }

        await SendAsync(window);
        while (received < quota)
        {
            var read = await ssl.ReadAsync(receive.AsMemory(filled), token);
            if (read == 0)
            {
                Interlocked.Add(ref _stats.Lost, sent - received);
                throw new IOException("the server closed the connection with replies outstanding");
            }

            filled += read;
            var consumed = 0;
            var now = Stopwatch.GetTimestamp();
            while (filled - consumed >= 4)
            {
                var length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(receive.AsSpan(consumed)), int.MaxValue - 4);
                if (length > receive.Length - 4)
                {
                    throw new InvalidDataException($"reply of {length} bytes is larger than any message sent");
                }

                if (filled - consumed < 4 + length)
                {
                    break;
                }

                var reply = receive.AsSpan(consumed + 4, length);
                _stats.RoundTrip.Record(LoadStatistics.ElapsedMicros(sentAt[received % window], now));
                _stats.PayloadBytesReceived.Add(length);
                if (!_payloads.TryVerify(reply, slot, generation, out var sequence))
                {
                    Interlocked.Increment(ref _stats.Corrupted);
                }
                else if (sequence != (ulong)received)
                {
                    Interlocked.Increment(ref _stats.Reordered);
                }
                else
                {
                    _stats.RepliesOk.Increment();
                }

                received++;
                consumed += 4 + length;
            }

            receive.AsSpan(consumed, filled - consumed).CopyTo(receive);
            filled -= consumed;
            var next = Math.Min(quota - sent, window - (sent - received));
            if (next > 0)
            {
                await SendAsync(next);
            }
        }
    }

    /// <summary>Sends close_notify and waits for the server's, as our client's CloseAsync does.</summary>
    private static async Task CloseAsync(SslStream ssl, CancellationToken token)
    {
        await ssl.ShutdownAsync();
        var scratch = new byte[1];
        if (await ssl.ReadAsync(scratch, token) != 0)
        {
            throw new InvalidDataException("data after close_notify");
        }
    }

    private static string Kind(Exception e, CancellationToken token) => e switch
    {
        OperationCanceledException when token.IsCancellationRequested => "timeout (max-duration)",
        OperationCanceledException => "timeout",
        SocketException socket => $"connection ({socket.SocketErrorCode})",
        IOException { InnerException: SocketException socket } => $"connection ({socket.SocketErrorCode})",
        _ => e.GetType().Name,
    };

    private LoadReport Report(DateTimeOffset startedAt, TimeSpan elapsed, bool interrupted)
    {
        var s = _stats;
        var shape = new RunShape(
            _settings.Connections, _settings.RampUp.TotalSeconds, _settings.Messages, 0, _settings.Size, _settings.Size,
            _settings.Pipeline, _settings.Rate, IsOpenLoop ? "open" : "closed", _settings.HandshakeOnly, _settings.ReconnectEvery,
            _settings.MaxDuration.TotalSeconds, _settings.Messages * _settings.Connections,
            _settings.WarmupMessagesPerSession > 0 ? Math.Min(_settings.Connections, LoadRunner.MaxWarmupSessions) : 0,
            _settings.WarmupMessagesPerSession,
            _settings.StartTogether);

        // One timeline point: the whole run, with the peak of sessions open at once.
        var roundTrips = s.RoundTrip.Snapshot();
        return LoadReport.FromStatistics(s, new RunTarget(_settings.Host, _settings.Port), shape, startedAt, elapsed, interrupted, run =>
            [new TimelinePoint(Math.Round(run.Seconds, 3), run.Messages.Received, Math.Round(run.Messages.Received / run.Seconds, 1),
                roundTrips.ValueAtPercentile(50) / 1000.0, roundTrips.ValueAtPercentile(99) / 1000.0, roundTrips.Max / 1000.0,
                Interlocked.Read(ref _peakActive), run.Sessions.HandshakesOk)]);
    }
}
