using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Records;

namespace SecureActors.Protocol.Handshake;

/// <summary>
/// Common machinery of <see cref="ClientHandshake"/> and <see cref="ServerHandshake"/>: a plain
/// object with no I/O and no threads. Feed it frames and crypto results; it answers with
/// <see cref="HandshakeStep"/>s. While a crypto operation is outstanding, fed frames are buffered
/// (up to 64 KiB) and processed once the result comes back. Not thread-safe: one owner (e.g. one
/// session actor) drives it; only the <see cref="CryptoOperation"/>s it hands out travel.
/// </summary>
public abstract class HandshakeMachine : IDisposable
{
    private readonly ArrayBufferWriter<byte> _output = new(1024);

    // Bytes at the start of _output that form whole flights the peer must receive even if a later frame in the same
    // step fails: an alert sealed under keys announced by that flight is unreadable without it.
    private int _committedOutput;
    private readonly Queue<Frame> _queued = new();
    private int _queuedBytes;
    private byte[]? _leftoverMessages;
    private int _leftoverOffset;
    private bool _leftoverProtected;
    private CryptoOperation? _pending;
    private CryptoOperation? _issued;
    private HandshakeResult? _result;
    private ProtocolFailure? _failure;
    private bool _disposed;

    private protected HandshakeMachine(ProtocolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Transcript.Append(Prologue.Magic);
    }

    /// <summary>The options this machine runs with.</summary>
    public ProtocolOptions Options { get; }

    /// <summary>
    /// Where the hello random comes from. Only the whole-handshake known-answer vector (PROTOCOL.md §11.4) replaces
    /// it, to make the randoms reproducible; internal, so neither configuration nor callers can weaken it.
    /// </summary>
    internal Func<int, byte[]> RandomBytes { get; init; } = RandomNumberGenerator.GetBytes;

    /// <summary>Name of the current state (for logs and tests).</summary>
    public abstract string StateName { get; }

    /// <summary>True once the handshake has completed or failed.</summary>
    public bool IsFinished => _result is not null || _failure is not null;

    private protected Transcript Transcript { get; } = new();

    private protected HandshakeSecrets? Secrets { get; set; }

    /// <summary>Protection for records we send; null while we still send plaintext.</summary>
    private protected RecordSealer? Sealer { get; set; }

    /// <summary>Protection for records we receive; null while the peer still sends plaintext.</summary>
    private protected RecordOpener? Opener { get; set; }

    /// <summary>Feeds one received record.</summary>
    public HandshakeStep Feed(in Frame frame)
    {
        ThrowIfFinished();
        if (_pending is not null)
        {
            _queuedBytes += frame.Length;
            if (_queuedBytes > HandshakeLimits.MaxBufferedInput)
            {
                return Fail(new ProtocolFailure(AlertDescription.UnexpectedMessage, "too much input while a crypto operation is pending"));
            }

            _queued.Enqueue(frame.ToOwned());
            return MakeStep();
        }

        try
        {
            ProcessFrame(frame);
            Drain();
        }
        catch (ProtocolViolationException ex)
        {
            return Fail(ex.ToFailure());
        }

        return MakeStep();
    }

    /// <summary>Feeds the result of the operation this machine handed out last.</summary>
    public HandshakeStep Complete(CryptoResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ThrowIfFinished();
        if (_pending is null || !ReferenceEquals(result.Operation, _pending))
        {
            throw new InvalidOperationException("this result does not belong to the operation the machine is waiting for");
        }

        _pending = null;
        if (result.Failure is not null)
        {
            return Fail(result.Failure);
        }

        try
        {
            OnCryptoResult(result);
            Drain();
        }
        catch (ProtocolViolationException ex)
        {
            result.Release();
            return Fail(ex.ToFailure());
        }

        return MakeStep();
    }

    /// <summary>
    /// Ends an unfinished handshake on the caller's initiative (a deadline, a transport-level framing error) with
    /// <paramref name="alert"/>. The alert is sealed under the keys the peer can already read (s_ap_0 once the
    /// server's flight is out, c_hs for the client), or sent in plaintext before any exist; any pending operation is
    /// abandoned.
    /// </summary>
    public HandshakeStep Abort(AlertDescription alert, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ThrowIfFinished();
        return Fail(new ProtocolFailure(alert, reason));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pending?.Abandon();
        Secrets?.Dispose();
        Sealer?.Dispose();
        Opener?.Dispose();
        Transcript.Dispose();
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    private protected abstract void OnHandshakeMessage(HandshakeType type, ReadOnlySpan<byte> body, ReadOnlySpan<byte> raw, bool isProtected, bool lastInRecord);

    private protected abstract void OnCryptoResult(CryptoResult result);

    private protected virtual void DisposeCore()
    {
    }

    private protected static ProtocolViolationException Violation(AlertDescription alert, string reason) => new(alert, reason);

    /// <summary>
    /// Checks the peer's Finished (keyed by the peer's handshake traffic secret) against the transcript so far, in
    /// constant time, with one uniform failure whatever was wrong with it.
    /// </summary>
    private protected void VerifyPeerFinished(ReadOnlySpan<byte> peerHandshakeTraffic, ReadOnlySpan<byte> received, string peer)
    {
        var suite = Secrets!.Suite;
        Span<byte> expected = stackalloc byte[suite.HashLength];
        KeySchedule.ComputeFinished(suite.Hash, peerHandshakeTraffic, Transcript.CurrentHash(), expected);
        var valid = received.Length == expected.Length && CryptographicOperations.FixedTimeEquals(received, expected);
        CryptographicOperations.ZeroMemory(expected);
        if (!valid)
        {
            throw Violation(AlertDescription.DecryptError, $"{peer} Finished does not verify");
        }
    }

    private protected void Await(CryptoOperation operation)
    {
        _pending = operation;
        _issued = operation;
    }

    /// <summary>Hands out an operation outside of Feed/Complete (the client's first step).</summary>
    private protected HandshakeStep Issue(CryptoOperation operation)
    {
        ThrowIfFinished();
        Await(operation);
        return MakeStep();
    }

    /// <summary>A traffic secret for the negotiated suite, wired to <see cref="ProtocolOptions.SecurityWarning"/>.</summary>
    private protected TrafficSecret NewTrafficSecret(SuiteParameters suite, ReadOnlySpan<byte> secret) =>
        new(suite, secret, Options.SecurityWarning);

    /// <summary>Raises the classroom warning once per handshake that negotiates the classroom suite.</summary>
    private protected void WarnClassroom() => Options.SecurityWarning?.Invoke(Classroom.ClassroomSuite.Warning);

    private protected void WriteRaw(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    /// <summary>Marks everything written so far as a complete flight that a later failure must not withdraw.</summary>
    private protected void CommitOutput() => _committedOutput = _output.WrittenCount;

    private protected void WritePlaintextHandshake(ReadOnlySpan<byte> message) =>
        FrameWriter.WritePlaintext(_output, RecordType.Handshake, message);

    /// <summary>Seals handshake messages with <paramref name="sealer"/>, packing whole messages into records of at most 2^14 bytes.</summary>
    private protected void WriteProtectedHandshake(RecordSealer sealer, params byte[][] messages)
    {
        var index = 0;
        while (index < messages.Length)
        {
            var content = 0;
            var first = index;
            while (index < messages.Length && content + messages[index].Length <= FrameLimits.MaxContent)
            {
                content += messages[index++].Length;
            }

            var span = _output.GetSpan(RecordSealer.RecordLength(content));
            var offset = FrameLimits.HeaderLength;
            for (var i = first; i < index; i++)
            {
                messages[i].CopyTo(span[offset..]);
                offset += messages[i].Length;
            }

            _output.Advance(sealer.SealInPlace(span, content, ContentType.Handshake));
        }
    }

    private protected void Succeed(HandshakeResult result)
    {
        _result = result;
    }

    private protected IReadOnlyList<Frame> TakeQueuedFrames()
    {
        var frames = _queued.ToArray();
        _queued.Clear();
        return frames;
    }

    private void ThrowIfFinished()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsFinished)
        {
            throw new InvalidOperationException("the handshake has already finished");
        }
    }

    private void ProcessFrame(in Frame frame)
    {
        switch (frame.Type)
        {
            case RecordType.Alert:
            {
                Span<byte> alert = stackalloc byte[2];
                if (frame.Length != 2)
                {
                    throw Violation(AlertDescription.DecodeError, "alert record is not 2 bytes");
                }

                frame.Body.CopyTo(alert);
                throw PeerAlert(alert);
            }

            case RecordType.Handshake:
                if (Opener is not null)
                {
                    throw Violation(AlertDescription.UnexpectedMessage, "plaintext handshake record after keys were established");
                }

                if (frame.Length == 0)
                {
                    throw Violation(AlertDescription.DecodeError, "empty handshake record");
                }

                ProcessMessages(frame.Body.ToArray(), 0, isProtected: false);
                break;

            case RecordType.Protected:
            {
                if (Opener is null)
                {
                    throw Violation(AlertDescription.UnexpectedMessage, "protected record before keys exist");
                }

                // Rented for this one record: a protected handshake record comes once or twice per handshake,
                // and a buffer of the largest record's size held by every machine was the largest part of a handshake's garbage.
                var length = FrameLimits.HeaderLength + frame.Length;
                var rented = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    OpenProtectedHandshakeRecord(frame, rented.AsSpan(0, length));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(rented.AsSpan(0, length));
                    ArrayPool<byte>.Shared.Return(rented);
                }

                break;
            }

            default:
                throw Violation(AlertDescription.UnexpectedMessage, "unknown record type");
        }
    }

    private void OpenProtectedHandshakeRecord(in Frame frame, Span<byte> record)
    {
        FrameWriter.WriteHeader(record, RecordType.Protected, frame.Length);
        frame.Body.CopyTo(record[FrameLimits.HeaderLength..]);
        if (!Opener!.TryOpen(record, out var inner, out var contentLength, out var alert))
        {
            throw Violation(alert, SecureChannel.OpenFailureReason(alert));
        }

        var content = record.Slice(FrameLimits.HeaderLength, contentLength);
        switch (inner)
        {
            case ContentType.Alert:
                if (contentLength != 2)
                {
                    throw Violation(AlertDescription.DecodeError, "alert is not 2 bytes");
                }

                throw PeerAlert(content);
            case ContentType.Handshake:
                if (contentLength == 0)
                {
                    throw Violation(AlertDescription.DecodeError, "empty handshake record");
                }

                ProcessMessages(content.ToArray(), 0, isProtected: true);
                break;
            default:
                throw Violation(AlertDescription.UnexpectedMessage, "application data before the handshake completed");
        }
    }

    private void ProcessMessages(byte[] data, int offset, bool isProtected)
    {
        while (offset < data.Length && !IsFinished)
        {
            if (_pending is not null)
            {
                _leftoverMessages = data;
                _leftoverOffset = offset;
                _leftoverProtected = isProtected;
                return;
            }

            if (data.Length - offset < FrameLimits.HandshakeHeaderLength)
            {
                throw Violation(AlertDescription.DecodeError, "truncated handshake message header");
            }

            var type = data[offset];
            int length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 1));
            if (length == 0)
            {
                throw Violation(AlertDescription.DecodeError, "zero-length handshake message");
            }

            if (length > FrameLimits.MaxHandshakeMessage)
            {
                throw Violation(AlertDescription.DecodeError, $"handshake message of {length} bytes exceeds {FrameLimits.MaxHandshakeMessage}");
            }

            if (offset + FrameLimits.HandshakeHeaderLength + length > data.Length)
            {
                throw Violation(AlertDescription.DecodeError, "handshake message longer than its record");
            }

            var raw = data.AsSpan(offset, FrameLimits.HandshakeHeaderLength + length);
            offset += raw.Length;
            OnHandshakeMessage((HandshakeType)type, raw[FrameLimits.HandshakeHeaderLength..], raw, isProtected, offset == data.Length);
        }
    }

    private void Drain()
    {
        while (_pending is null && !IsFinished)
        {
            if (_leftoverMessages is not null)
            {
                var data = _leftoverMessages;
                _leftoverMessages = null;
                ProcessMessages(data, _leftoverOffset, _leftoverProtected);
            }
            else if (_queued.Count > 0)
            {
                var frame = _queued.Dequeue();
                _queuedBytes -= frame.Length;
                ProcessFrame(frame);
            }
            else
            {
                break;
            }
        }
    }

    private static ProtocolViolationException PeerAlert(ReadOnlySpan<byte> alert) =>
        new(new ProtocolFailure((AlertDescription)alert[1], "alert received during the handshake", ReceivedFromPeer: true));

    private HandshakeStep Fail(ProtocolFailure failure)
    {
        _pending?.Abandon();
        _pending = null;
        _failure = failure;
        WriteFailureAlert(failure);
        return MakeStep();
    }

    private HandshakeStep MakeStep()
    {

        var output = _output.WrittenSpan.ToArray();
        _output.ResetWrittenCount();
        _committedOutput = 0;
        var issued = _issued;
        _issued = null;
        if (_failure is not null)
        {
            return new HandshakeStep(HandshakeStatus.Failed, output, null, null, _failure);
        }

        if (_result is not null)
        {
            return new HandshakeStep(HandshakeStatus.Complete, output, null, _result, null);
        }

        return _pending is not null
            ? new HandshakeStep(HandshakeStatus.AwaitingCrypto, output, issued, null, null)
            : new HandshakeStep(HandshakeStatus.NeedInput, output, null, null, null);
    }

    private void WriteFailureAlert(ProtocolFailure failure)
    {
        if (failure.ReceivedFromPeer)
        {
            return;
        }

        // Output produced before the failure (e.g. half a flight) is withdrawn; whole flights already committed stay,
        // so the peer holds the keys its alert is sealed under.
        var committed = _output.WrittenSpan[.._committedOutput].ToArray();
        _output.ResetWrittenCount();
        _output.Write(committed);
        _committedOutput = committed.Length;
        ReadOnlySpan<byte> alert = [2, (byte)failure.Alert];
        if (Sealer is null)
        {
            FrameWriter.WritePlaintext(_output, RecordType.Alert, alert);
        }
        else
        {
            var span = _output.GetSpan(RecordSealer.RecordLength(2));
            var written = Sealer.Seal(alert, ContentType.Alert, span);
            if (written > 0)
            {
                _output.Advance(written);
            }
        }
    }
}
