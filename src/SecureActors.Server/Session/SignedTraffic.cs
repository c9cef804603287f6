using SecureActors.Protocol;
using SecureActors.Protocol.Records;
using SecureActors.Server.Crypto;

namespace SecureActors.Server.Session;

/*
 * The order-keeping half of per-message signatures (PROTOCOL.md §12) for one session; the RSA work
 * runs on the crypto pool, whose results come back in any order.
 *
 *   inbound:  admit (flag, layout, scheme, counter: in wire order, here) ─► VerifyMessage ─► verified
 *             requests reach the handler in request order (a sequencer keyed by request id)
 *   outbound: reply or push ─► next counter ─► SignMessage ─► signed payloads leave in counter order
 *             (a sequencer keyed by counter), which is also the order the client checks them in
 *
 * Every operation in flight is remembered by its correlation id, so a result for a forgotten
 * operation (after Clear) is recognised as stale, and the session can put a deadline on the oldest.
 */

/// <summary>Keeps a signed session's messages in order while their signatures are made and checked on the crypto pool.</summary>
internal sealed class SignedTraffic(MessageSignatureReceiver receiver)
{
    private readonly ReplySequencer _verifiedRequests = new();
    private readonly ReplySequencer _signedOutgoing = new();
    private readonly Dictionary<ulong, (MessageKind Kind, ulong RequestId)> _outgoing = [];
    private readonly Dictionary<long, Operation> _inFlight = [];
    private long _nextCorrelation;
    private ulong _nextCounter;

    /// <summary>The room signatures are bound to: the session id in lower-case hex.</summary>
    public string Room => receiver.Room;

    /// <summary>True when the client proved a key, so its messages must be signed.</summary>
    public bool ClientSigns => receiver.Sender is not null;

    /// <summary>Replies and pushes given a counter and not yet sent (awaiting their signature or an earlier one).</summary>
    public int Outgoing => _signedOutgoing.InFlight;

    /// <summary>The oldest crypto operation still in flight, if any (for its deadline).</summary>
    public long? OldestInFlight => _inFlight.Count == 0 ? null : _inFlight.Keys.Min();

    /// <summary>Whether the operation with <paramref name="correlationId"/> is still awaited.</summary>
    public bool IsInFlight(long correlationId) => _inFlight.ContainsKey(correlationId);

    /// <summary>
    /// Applies the receiver's checks to a message from the client. On success <paramref name="verify"/>
    /// is the verification to run, or null for an unsigned message from an anonymous client, which
    /// needs none and follows the unsigned path.
    /// </summary>
    public ProtocolFailure? Admit(MessageKind kind, ulong id, bool signed, ReadOnlySpan<byte> payload, out CryptoProtocol.VerifyMessage? verify)
    {
        verify = null;
        var failure = receiver.Admit(signed, payload, $"{Describe(kind)} {id}", out var message);
        if (failure is not null || message is null)
        {
            return failure;
        }

        if (kind == MessageKind.Request)
        {
            _verifiedRequests.Expect(id);
        }

        var correlation = ++_nextCorrelation;
        _inFlight[correlation] = new Operation(kind, id, message.Application);
        verify = new CryptoProtocol.VerifyMessage(correlation, receiver.Sender!, receiver.Room, message);
        return null;
    }

    /// <summary>
    /// Takes a verification result. Returns null for success (then <see cref="TryTakeVerifiedRequest"/>
    /// may have requests to release) or a stale result (<paramref name="known"/> false); otherwise the failure.
    /// </summary>
    public ProtocolFailure? OnVerified(CryptoProtocol.MessageVerified verified, out bool known)
    {
        ArgumentNullException.ThrowIfNull(verified);
        known = _inFlight.Remove(verified.CorrelationId, out var operation);
        if (!known)
        {
            return null;
        }

        if (!verified.Valid)
        {
            return MessageSignatureReceiver.BadSignature($"{Describe(operation.Kind)} {operation.Id}");
        }

        if (operation.Kind == MessageKind.Request)
        {
            _verifiedRequests.Complete(operation.Id, operation.Bytes);
        }

        return null;
    }

    /// <summary>The next verified request in request order, if its turn has come.</summary>
    public bool TryTakeVerifiedRequest(out ulong requestId, out ReadOnlyMemory<byte> application) =>
        _verifiedRequests.TryTakeNext(out requestId, out application);

    /// <summary>Gives an outgoing reply or push the next counter and returns the signing to run.</summary>
    public CryptoProtocol.SignMessage Enqueue(MessageKind kind, ulong requestId, ReadOnlyMemory<byte> application, long unixMilliseconds)
    {
        var counter = ++_nextCounter;
        _signedOutgoing.Expect(counter);
        _outgoing[counter] = (kind, requestId);
        var correlation = ++_nextCorrelation;
        _inFlight[correlation] = new Operation(kind, counter, default);
        return new CryptoProtocol.SignMessage(correlation, receiver.Room, counter, unixMilliseconds, application);
    }

    /// <summary>Takes a signed payload; false if it is stale.</summary>
    public bool OnSigned(CryptoProtocol.MessageSigned signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        if (!_inFlight.Remove(signed.CorrelationId, out var operation))
        {
            return false;
        }

        return _signedOutgoing.Complete(operation.Id, signed.Payload);
    }

    /// <summary>The next signed message in counter order, if its signature is ready.</summary>
    public bool TryTakeSigned(out MessageKind kind, out ulong requestId, out ReadOnlyMemory<byte> payload)
    {
        if (_signedOutgoing.TryTakeNext(out var counter, out payload) && _outgoing.Remove(counter, out var entry))
        {
            (kind, requestId) = entry;
            return true;
        }

        kind = default;
        requestId = 0;
        return false;
    }

    /// <summary>Takes a local crypto failure; false if it is stale.</summary>
    public bool OnFailed(CryptoProtocol.MessageCryptoFailed failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return _inFlight.Remove(failed.CorrelationId);
    }

    /// <summary>Forgets everything in flight or waiting (the session is closing without it); later results are stale.</summary>
    public void Clear()
    {
        _inFlight.Clear();
        _outgoing.Clear();
        _verifiedRequests.Clear();
        _signedOutgoing.Clear();
    }

    private static string Describe(MessageKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>One operation in flight: what it is for (request id, or counter when signing) and, when verifying, the application bytes to release.</summary>
    private readonly record struct Operation(MessageKind Kind, ulong Id, ReadOnlyMemory<byte> Bytes);
}
