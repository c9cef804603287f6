namespace SecureActors.Server.Transport;

/// <summary>
/// Inbound backpressure between a receive loop and its session. The loop counts each frame it
/// hands over; the session counts each frame it has handled and may also hold the gate shut while
/// its application is behind. The loop reads from the socket only while the gate is open, so a
/// client that sends faster than the server answers is slowed by TCP flow control instead of
/// growing the session's mailbox.
/// </summary>
internal sealed class InboundGate(int maxUnprocessedFrames)
{
    private readonly Lock _gate = new();
    private int _unprocessed;
    private bool _held;
    private bool _released;
    private TaskCompletionSource? _waiter;

    /// <summary>Frames handed over and not yet handled (for tests and metrics).</summary>
    public int Unprocessed
    {
        get
        {
            lock (_gate)
            {
                return _unprocessed;
            }
        }
    }

    /// <summary>Loop side: <paramref name="count"/> more frames were handed to the session.</summary>
    public void FramesHandedOver(int count)
    {
        lock (_gate)
        {
            _unprocessed += count;
        }
    }

    /// <summary>Session side: <paramref name="count"/> frames were handled.</summary>
    public void FramesHandled(int count)
    {
        lock (_gate)
        {
            _unprocessed -= count;
            WakeIfOpen();
        }
    }

    /// <summary>Session side: stop reading until <see cref="Resume"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _held = true;
        }
    }

    /// <summary>Session side: reading may continue.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            _held = false;
            WakeIfOpen();
        }
    }

    /// <summary>Opens the gate for good (the connection is closing and the loop only drains to EOF).</summary>
    public void ReleaseForever()
    {
        lock (_gate)
        {
            _released = true;
            WakeIfOpen();
        }
    }

    /// <summary>Loop side: completes when the loop may read again.</summary>
    public Task WaitOpenAsync()
    {
        lock (_gate)
        {
            if (IsOpen)
            {
                return Task.CompletedTask;
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }

    private bool IsOpen => _released || (!_held && _unprocessed < maxUnprocessedFrames);

    private void WakeIfOpen()
    {
        if (IsOpen && _waiter is { } waiter)
        {
            _waiter = null;
            waiter.TrySetResult();
        }
    }
}
