using System.Diagnostics;
using SecureActors.Client.Connection;

namespace SecureActors.Client.Load;

/// <summary>
/// One of the run's concurrent session slots: connects, sends and verifies, reconnects on churn.
/// Per-connection state ("generation") is only touched under the connection's lock (reply callbacks
/// run there; other callers go through <see cref="ClientConnection.RunExclusive"/>), so the reply
/// path needs no second lock and allocates nothing.
/// </summary>
internal sealed class LoadSlot : IReplyHandler, IBusyRetryObserver
{
    [ThreadStatic]
    private static byte[]? t_scratch;

    private readonly LoadRunner _runner;
    private readonly uint _slot;
    private readonly int _pipeline;
    private readonly long[] _sentAt;
    private readonly Lock _backlogGate = new();
    private readonly Queue<long> _backlog = new();
    private readonly Action _pumpLocked;
    private readonly ReplyOrderTracker _order = new();
    private SecureClient? _client;
    private TaskCompletionSource? _generationDone;
    private uint _generation;
    private ulong _nextSequence;
    private long _generationQuota;
    private long _generationSent;
    private int _inFlight;
    private volatile bool _aborting;
    private volatile bool _finished;

    public LoadSlot(LoadRunner runner, uint slot)
    {
        _runner = runner;
        _slot = slot;
        _pipeline = runner.Settings.Pipeline;
        _sentAt = new long[_pipeline];
        _pumpLocked = PumpLocked;
    }

    public bool IsFinished => _finished;

    private LoadSettings Settings => _runner.Settings;

    private LoadStatistics Stats => _runner.Statistics;

    public async Task RunAsync()
    {
        var arrived = false;
        try
        {
            var offset = _runner.RampOffset(_slot);
            if (offset > TimeSpan.Zero)
            {
                await Task.Delay(offset, _runner.StopToken).ConfigureAwait(false);
            }

            var remaining = Settings.MessagesPerConnection > 0 ? Settings.MessagesPerConnection : long.MaxValue;
            while (!_runner.IsStopping && remaining > 0)
            {
                if (Settings.HandshakeOnly && !_runner.TryTakeBudget())
                {
                    break;
                }

                var client = await ConnectAsync().ConfigureAwait(false);
                if (Settings.StartTogether && !arrived)
                {
                    arrived = true;
                    var everyone = _runner.StartBarrier.ArriveAsync();
                    if (client is not null)
                    {
                        await everyone.ConfigureAwait(false);
                    }
                }

                if (client is null)
                {
                    break;
                }

                try
                {
                    if (Settings.HandshakeOnly)
                    {
                        remaining--;
                        if (!await CloseAsync(client).ConfigureAwait(false))
                        {
                            break;
                        }

                        continue;
                    }

                    var quota = Settings.ReconnectEvery > 0 ? Math.Min(Settings.ReconnectEvery, remaining) : remaining;
                    var (sent, ok) = await RunGenerationAsync(client, quota).ConfigureAwait(false);
                    remaining -= sent;
                    if (!ok)
                    {
                        break;
                    }
                }
                finally
                {
                    _client = null;
                    Interlocked.Decrement(ref Stats.SessionsActive);
                    await client.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_runner.IsStopping)
        {
        }
        finally
        {
            if (Settings.StartTogether && !arrived)
            {
                // Stopped before connecting: the others must not wait for this session.
                _ = _runner.StartBarrier.ArriveAsync();
            }

            _finished = true;
        }
    }

    /// <summary>Open loop: queues a message scheduled for <paramref name="intendedTimestamp"/>.</summary>
    public void Schedule(long intendedTimestamp)
    {
        lock (_backlogGate)
        {
            _backlog.Enqueue(intendedTimestamp);
        }
    }

    /// <summary>Sends what the pipeline allows now (from any thread).</summary>
    public void Pump() => _client?.Connection.RunExclusive(_pumpLocked);

    /// <summary>Drain deadline passed: cut the connection; what is still in flight counts as lost.</summary>
    public void Abort()
    {
        _aborting = true;
        _client?.Connection.Abort(new SecureClientTimeoutException("drain", Settings.DrainTimeout));
    }

    public void OnReply(ReadOnlySpan<byte> payload, long token, long receivedAt)
    {
        var micros = LoadStatistics.ElapsedMicros(_sentAt[(ulong)token % (ulong)_pipeline], receivedAt);
        Stats.RoundTrip.Record(micros);
        Stats.PayloadBytesReceived.Add(payload.Length);
        var verdict = _runner.Payloads.TryVerify(payload, _slot, _generation, out var sequence)
            ? _order.Classify(sequence, (ulong)token)
            : ReplyVerdict.Corrupted;
        switch (verdict)
        {
            case ReplyVerdict.Ok:
                Stats.RepliesOk.Increment();
                break;
            case ReplyVerdict.Corrupted:
                Interlocked.Increment(ref Stats.Corrupted);
                break;
            case ReplyVerdict.Duplicated:
                Interlocked.Increment(ref Stats.Duplicated);
                break;
            default:
                Interlocked.Increment(ref Stats.Reordered);
                break;
        }

        _inFlight--;
        PumpLocked();
    }

    public void OnFailed(Exception error, long token)
    {
        // The session ended with this request unanswered: cut by us at the drain deadline or closed by
        // the server without answering (lost), or killed by an error (counted with that error).
        if (_aborting || error is SecureClientConnectionException { InnerException: SecureClientException { Alert: Protocol.AlertDescription.CloseNotify } })
        {
            Interlocked.Increment(ref Stats.Lost);
        }
        else
        {
            Interlocked.Increment(ref Stats.FailedInFlight);
        }
    }

    /// <summary>Counts server_busy refusals apart from errors: one that is retried is not a failure.</summary>
    public void Refused(int attempt, TimeSpan? retryIn)
    {
        Interlocked.Increment(ref Stats.BusyRefusals);
        Interlocked.Increment(ref retryIn is null ? ref Stats.BusyGaveUp : ref Stats.BusyRetries);
    }

    private async Task<SecureClient?> ConnectAsync()
    {
        // Includes the busy retries' backoff: a session's handshake latency is what its user waited.
        var started = Stopwatch.GetTimestamp();
        try
        {
            // The stop token also cuts a busy backoff short, so retries never outlast the run's bounds.
            var client = await SecureClient.ConnectAsync(_runner.ClientOptions, this, _runner.StopToken).ConfigureAwait(false);
            Stats.Handshake.Record(LoadStatistics.ElapsedMicros(started, Stopwatch.GetTimestamp()));
            Interlocked.Increment(ref Stats.HandshakesOk);
            Interlocked.Increment(ref Stats.SessionsActive);
            _client = client;
            return client;
        }
        catch (OperationCanceledException) when (_runner.IsStopping)
        {
            return null;
        }
        catch (SecureClientException ex)
        {
            Interlocked.Increment(ref Stats.HandshakesFailed);
            Interlocked.Increment(ref Stats.SessionsFailed);
            Stats.CountError(LoadStatistics.Classify(ex));
            return null;
        }
    }

    private async Task<(long Sent, bool Ok)> RunGenerationAsync(SecureClient client, long quota)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.RunExclusive(() =>
        {
            _generation++;
            _nextSequence = 1;
            _generationQuota = quota;
            _generationSent = 0;
            _inFlight = 0;
            _order.Reset();
            _generationDone = done;
        });

        // When sending stops (deadline, budget, Ctrl-C) an idle session must notice it has finished.
        using (_runner.StopToken.Register(Pump))
        {
            Pump();
            await Task.WhenAny(done.Task, client.Completion).ConfigureAwait(false);
        }

        long sent = 0;
        client.Connection.RunExclusive(() => sent = _generationSent);
        if (!done.Task.IsCompleted)
        {
            if (!_aborting)
            {
                Interlocked.Increment(ref Stats.SessionsFailed);
            }

            Stats.CountError(LoadStatistics.Classify(client.TerminationReason ?? new SecureClientException("session ended")));
            return (sent, false);
        }

        return (sent, await CloseAsync(client).ConfigureAwait(false));
    }

    private async Task<bool> CloseAsync(SecureClient client)
    {
        try
        {
            await client.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (SecureClientException ex)
        {
            if (!_aborting)
            {
                Interlocked.Increment(ref Stats.SessionsFailed);
            }

            Stats.CountError(LoadStatistics.Classify(ex));
            return false;
        }
    }

    /// <summary>Runs under the connection lock.</summary>
    private void PumpLocked()
    {
        var done = _generationDone;
        if (done is null || done.Task.IsCompleted)
        {
            return;
        }

        if (_runner.IsOpenLoop)
        {
            while (_inFlight < _pipeline && _generationSent < _generationQuota)
            {
                long intended;
                lock (_backlogGate)
                {
                    if (!_backlog.TryDequeue(out intended))
                    {
                        break;
                    }
                }

                if (!SendOne(intended))
                {
                    break;
                }
            }
        }
        else
        {
            while (_inFlight < _pipeline && !_runner.IsStopping && _generationSent < _generationQuota && _runner.TryTakeBudget())
            {
                if (!SendOne(Stopwatch.GetTimestamp()))
                {
                    break;
                }
            }
        }

        // Open loop: messages scheduled before the stop are still sent; closed loop: stop means stop.
        if (_inFlight == 0 && (_generationSent >= _generationQuota || (_runner.IsStopping && (!_runner.IsOpenLoop || BacklogIsEmpty()))))
        {
            done.TrySetResult();
        }
    }

    private bool BacklogIsEmpty()
    {
        lock (_backlogGate)
        {
            return _backlog.Count == 0;
        }
    }

    private bool SendOne(long intendedTimestamp)
    {
        var client = _client;
        if (client is null)
        {
            return false;
        }

        var payloads = _runner.Payloads;
        var scratch = t_scratch is { } existing && existing.Length >= payloads.MaxSize ? existing : t_scratch = new byte[payloads.MaxSize];
        var sequence = _nextSequence;
        var length = payloads.Write(scratch, _slot, _generation, sequence);
        // The reply cannot overtake this: it is handled under the lock we hold.
        _sentAt[sequence % (ulong)_pipeline] = intendedTimestamp;
        if (!client.TrySend(scratch.AsSpan(0, length), this, (long)sequence))
        {
            return false;
        }

        _nextSequence++;
        _generationSent++;
        _inFlight++;
        Stats.MessagesSent.Increment();
        Stats.PayloadBytesSent.Add(length);
        return true;
    }
}
