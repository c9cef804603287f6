namespace SecureActors.Server.Session;

/// <summary>
/// Puts replies back into request order. Requests are numbered 1, 2, 3, … by the protocol; a reply
/// may come back in any order (a pool of handlers, crypto finishing out of order) but leaves only
/// when every earlier one has left. Signed sessions use the same ordering for anything numbered
/// 1, 2, 3, … whose crypto finishes out of order (<see cref="SignedTraffic"/>).
/// </summary>
internal sealed class ReplySequencer
{
    // Made when a reply first has to wait for an earlier one: a session whose replies leave in order never needs it.
    private Dictionary<ulong, ReadOnlyMemory<byte>>? _waiting;
    private ulong _nextToSend = 1;
    private ulong _nextExpected = 1;

    /// <summary>Requests registered and not yet released.</summary>
    public int InFlight => checked((int)(_nextExpected - _nextToSend));

    /// <summary>Registers the next request; its id must be the next in sequence.</summary>
    public void Expect(ulong requestId)
    {
        if (requestId != _nextExpected)
        {
            throw new InvalidOperationException($"request {requestId} out of sequence; expected {_nextExpected}");
        }

        _nextExpected++;
    }

    /// <summary>
    /// Lets the reply to <paramref name="requestId"/> leave at once, without storing it, if it is the
    /// next in order and nothing is parked for it; false otherwise (then use <see cref="Complete(ulong, ReadOnlyMemory{byte})"/>).
    /// </summary>
    public bool TryReleaseNow(ulong requestId)
    {
        if (requestId != _nextToSend || requestId >= _nextExpected || (_waiting?.ContainsKey(requestId) ?? false))
        {
            return false;
        }

        _nextToSend++;
        return true;
    }

    /// <summary>Whether <paramref name="requestId"/> was registered and its reply not yet taken.</summary>
    public bool IsPending(ulong requestId) => requestId >= _nextToSend && requestId < _nextExpected && !(_waiting?.ContainsKey(requestId) ?? false);

    /// <summary>
    /// Stores a reply; false if the id is unknown or already answered (a stale or duplicate reply).
    /// The payload is kept, not copied: a handler's reply message owns its bytes.
    /// </summary>
    public bool Complete(ulong requestId, ReadOnlyMemory<byte> payload)
    {
        if (!IsPending(requestId))
        {
            return false;
        }

        (_waiting ??= [])[requestId] = payload;
        return true;
    }

    /// <summary>Stores a reply held in an array (kept for callers written against the array signature).</summary>
    public bool Complete(ulong requestId, byte[] payload) => Complete(requestId, payload.AsMemory());

    /// <summary>Takes the next reply if it is the next in order.</summary>
    public bool TryTakeNext(out ulong requestId, out ReadOnlyMemory<byte> payload)
    {
        if (_waiting is not null && _waiting.Remove(_nextToSend, out payload))
        {
            requestId = _nextToSend++;
            return true;
        }

        requestId = 0;
        payload = default;
        return false;
    }

    /// <summary>Forgets every unanswered request (the session is closing without them).</summary>
    public void Clear()
    {
        _waiting?.Clear();
        _nextToSend = _nextExpected;
    }
}
