using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureActors.Protocol.Framing;

namespace SecureActors.Protocol.Records;

/// <summary>
/// The established record layer of one connection: application messages (fragmented over records
/// and reassembled), request/reply correlation, KeyUpdate at thresholds, authenticated close.
/// Not thread-safe; one owner drives it. Steady-state seal and open allocate nothing: output goes
/// to the caller's <see cref="IBufferWriter{T}"/>, input is opened in place.
/// </summary>
/// <remarks>
/// Application message = header in the first record, then raw continuation bytes:
/// <code>
/// kind u8 ‖ flags u8 ‖ id u64 ‖ length u32 ‖ payload[0 .. min(length, 16370)]
/// continuation records (inner type 0x17): payload bytes only, until length is reached
/// </code>
/// The receiver checks <c>length</c> against its maximum before buffering any of the payload.
/// </remarks>
public sealed class SecureChannel : IDisposable
{
    /// <summary>Bytes of the application message header.</summary>
    public const int MessageHeaderLength = 14;

    private const byte SignedFlag = 0x01;
    private const byte KeyUpdateType = 24;

    private readonly RecordSealer _sealer;
    private readonly RecordOpener _opener;
    private readonly ProtocolOptions _options;
    private readonly TimeProvider _time;
    // The last record received as a Frame, decrypted in place in a pooled buffer: an event's payload
    // points into it until the next call. Rented per record rather than owned, so thousands of idle
    // sessions do not each hold a 16 KiB record buffer.
    private byte[]? _recordRental;
    private int _recordRentalLength;
    private long _keyUpdateDue;

    private byte[]? _assembly;
    private byte[]? _releaseOnNextCall;
    private int _releaseLength;
    private int _assembled;
    private int _expected;
    private MessageKind _assemblyKind;
    private ulong _assemblyId;
    private bool _assemblySigned;

    // Message batching (PROTOCOL.md §8.7). Sending: while a batch is open, whole messages are
    // collected as plaintext and sealed together, one record per MaxContent. Receiving: where the
    // messages after the first of the current record start and end (offsets into the record).
    private byte[]? _staging;
    private int _staged;
    private bool _batchOpen;
    private int _batchNext;
    private int _batchEnd;

    private int _emptyRecords;
    private int _keyUpdatesInRow;
    private ulong _nextRequestId = 1;
    private ulong _nextReplyId = 1;
    private ulong _nextPushId = 1;
    private ulong _expectedPeerPushId = 1;
    private bool _sendClosed;
    private bool _receiveClosed;
    private bool _disposed;

    internal SecureChannel(ChannelRole role, RecordSealer sealer, RecordOpener opener, ProtocolOptions options, int peerMaxMessageSize, bool messageSignatures, bool messageBatching = false)
    {
        MessageBatching = messageBatching;
        Role = role;
        _sealer = sealer;
        _opener = opener;
        _options = options;
        _time = options.TimeProvider;
        StartKeyClock();
        PeerMaxMessageSize = peerMaxMessageSize;
        MessageSignatures = messageSignatures;
    }

    /// <summary>Our role.</summary>
    public ChannelRole Role { get; }

    /// <summary>Whether both ends agreed that several whole messages may share one record (PROTOCOL.md §8.7).</summary>
    public bool MessageBatching { get; }

    /// <summary>True while the record last received holds messages not yet taken (see <see cref="ReceiveAll(Span{byte}, IBufferWriter{byte})"/>).</summary>
    public bool HasPendingMessages => _batchNext < _batchEnd;

    /// <summary>
    /// Starts collecting the messages written from now on into shared records, sealed by
    /// <see cref="FlushBatch"/> or <see cref="EndBatch"/> (or before any alert or KeyUpdate, so order
    /// is kept). Does nothing unless batching was negotiated.
    /// </summary>
    public void BeginBatch() => _batchOpen = MessageBatching && !_disposed;

    /// <summary>Seals the messages collected so far into one record; the batch stays open.</summary>
    /// <returns>False when the channel can no longer send.</returns>
    public bool FlushBatch(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return _staged == 0 || SealStaged(output);
    }

    /// <summary>Seals the messages collected so far and ends the batch.</summary>
    /// <returns>False when the channel can no longer send.</returns>
    public bool EndBatch(IBufferWriter<byte> output)
    {
        var sealedAll = FlushBatch(output);
        _batchOpen = false;
        ReturnStaging();
        return sealedAll;
    }

    /// <summary>Largest message the peer accepts; larger sends are rejected.</summary>
    public int PeerMaxMessageSize { get; }

    /// <summary>Whether per-message signatures were negotiated (the signed flag is allowed).</summary>
    public bool MessageSignatures { get; }

    /// <summary>True once we sent close_notify or a fatal alert (nothing more can be sent).</summary>
    public bool IsSendClosed => _sendClosed;

    /// <summary>True once the peer closed or the channel failed (further input is dropped).</summary>
    public bool IsReceiveClosed => _receiveClosed;

    /// <summary>The failure that ended the channel, if any.</summary>
    public ProtocolFailure? Failure { get; private set; }

    /// <summary>KeyUpdates we sent.</summary>
    public long KeyUpdatesSent { get; private set; }

    /// <summary>KeyUpdates the peer sent.</summary>
    public long KeyUpdatesReceived { get; private set; }

    /// <summary>Requests without a reply yet: sent and unanswered (client), or received and unanswered (server).</summary>
    public ulong OutstandingRequests => _nextRequestId - _nextReplyId;

    internal RecordSealer Sealer => _sealer;

    internal RecordOpener Opener => _opener;

    /// <summary>Client: sends a request; its id is 1, 2, 3, … in order.</summary>
    /// <returns>False when the channel can no longer send (closed, or the sequence space is exhausted).</returns>
    public bool TryWriteRequest(ReadOnlySpan<byte> payload, IBufferWriter<byte> output, out ulong requestId, bool signed = false)
    {
        if (Role != ChannelRole.Client)
        {
            throw new InvalidOperationException("only the client sends requests");
        }

        requestId = _nextRequestId;
        if (!TryWriteMessage(MessageKind.Request, requestId, payload, output, signed))
        {
            return false;
        }

        _nextRequestId++;
        return true;
    }

    /// <summary>Server: answers the oldest unanswered request, whose id must be <paramref name="requestId"/>.</summary>
    public bool TryWriteReply(ulong requestId, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, bool signed = false)
    {
        if (Role != ChannelRole.Server)
        {
            throw new InvalidOperationException("only the server sends replies");
        }

        if (requestId != _nextReplyId || requestId >= _nextRequestId)
        {
            throw new InvalidOperationException($"replies go out in request order: expected a reply to {_nextReplyId}, got {requestId}");
        }

        if (!TryWriteMessage(MessageKind.Reply, requestId, payload, output, signed))
        {
            return false;
        }

        _nextReplyId++;
        return true;
    }

    /// <summary>Sends an unsolicited message.</summary>
    public bool TryWritePush(ReadOnlySpan<byte> payload, IBufferWriter<byte> output, out ulong pushId, bool signed = false)
    {
        pushId = _nextPushId;
        if (!TryWriteMessage(MessageKind.Push, pushId, payload, output, signed))
        {
            return false;
        }

        _nextPushId++;
        return true;
    }

    /// <summary>Sends close_notify (the <c>EXIT</c> command). Nothing can be sent afterwards.</summary>
    public bool TryWriteClose(IBufferWriter<byte> output) => TryWriteAlert(AlertDescription.CloseNotify, output);

    /// <summary>Sends a fatal alert (e.g. internal_error when the application fails) and closes the sending side.</summary>
    public bool TryWriteAlert(AlertDescription alert, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_sendClosed)
        {
            return false;
        }

        if (_staged > 0)
        {
            // Messages collected before the alert leave before it.
            SealStaged(output);
        }

        _sendClosed = true;
        ReadOnlySpan<byte> body = [alert == AlertDescription.CloseNotify ? (byte)1 : (byte)2, (byte)alert];
        return SealRecord(body, ContentType.Alert, output);
    }

    /// <summary>Rotates our sending key now; with <paramref name="requestPeerUpdate"/> the peer rotates too.</summary>
    public bool TryWriteKeyUpdate(bool requestPeerUpdate, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_sendClosed)
        {
            return false;
        }

        if (_staged > 0 && !SealStaged(output))
        {
            return false;
        }

        ReadOnlySpan<byte> message = [KeyUpdateType, 0, 1, requestPeerUpdate ? (byte)1 : (byte)0];
        if (!SealRecord(message, ContentType.Handshake, output))
        {
            return false;
        }

        _sealer.UpdateKey();
        StartKeyClock();
        KeyUpdatesSent++;
        return true;
    }

    /// <summary>
    /// Processes one received frame (copied into a pooled buffer kept until the next call, then opened in place).
    /// Yields only the record's first message: with batching negotiated use <see cref="ReceiveAll(in Frame, IBufferWriter{byte})"/>.
    /// </summary>
    public ChannelEvent Receive(in Frame frame, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReleaseRecordRental();
        if (frame.Type != RecordType.Protected)
        {
            if (_receiveClosed)
            {
                return default;
            }

            return Fail(new ProtocolFailure(AlertDescription.UnexpectedMessage, $"plaintext {frame.Type} record after the handshake"), output);
        }

        var length = FrameLimits.HeaderLength + frame.Length;
        var record = ArrayPool<byte>.Shared.Rent(length);
        _recordRental = record;
        _recordRentalLength = length;
        FrameWriter.WriteHeader(record, RecordType.Protected, frame.Length);
        frame.Body.CopyTo(record.AsSpan(FrameLimits.HeaderLength));
        return ReceiveRecord(record.AsSpan(0, length), output);
    }

    /// <summary>
    /// Processes one received record given as contiguous, writable bytes (header ‖ body); it is
    /// decrypted in place, so a single-record message's payload points into <paramref name="record"/>.
    /// Yields only the record's first message: with batching negotiated use <see cref="ReceiveAll(Span{byte}, IBufferWriter{byte})"/>.
    /// </summary>
    /// <param name="record">The whole record, header included.</param>
    /// <param name="output">Where automatic answers (a requested KeyUpdate, a fatal alert) are written.</param>
    public ChannelEvent Receive(Span<byte> record, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReleaseRecordRental();
        return ReceiveRecord(record, output);
    }

    /// <summary>What <see cref="RecordOpener.TryOpen"/>'s alert means, for the log (PROTOCOL.md §8.2).</summary>
    internal static string OpenFailureReason(AlertDescription alert) => alert switch
    {
        AlertDescription.BadRecordMac => "record authentication failed",
        AlertDescription.UnexpectedMessage => "record with an all-zero inner plaintext or an unknown inner content type",
        AlertDescription.RecordOverflow => "record content over 16384 bytes",
        _ => "invalid record",
    };

    private ChannelEvent ReceiveRecord(Span<byte> record, IBufferWriter<byte> output)
    {
        if (HasPendingMessages)
        {
            throw new InvalidOperationException("the record received last still holds messages: enumerate ReceiveAll to the end first");
        }

        ReleaseCompletedAssembly();
        if (_receiveClosed)
        {
            // Data after close_notify (or after a failure) is dropped (brief row 52).
            return default;
        }

        if (record[0] != (byte)RecordType.Protected)
        {
            // After the handshake only protected records are valid, whatever the type byte (PROTOCOL.md §6.5).
            return Fail(new ProtocolFailure(AlertDescription.UnexpectedMessage, $"plaintext {(RecordType)record[0]} record after the handshake"), output);
        }

        if (!_opener.TryOpen(record, out var innerType, out var contentLength, out var alert))
        {
            return Fail(new ProtocolFailure(alert, OpenFailureReason(alert)), output);
        }

        if ((long)_opener.SequenceNumber > _options.MaxRecordsPerPeerKey)
        {
            return Fail(new ProtocolFailure(AlertDescription.UnexpectedMessage, "peer exceeded the record limit for one key without a KeyUpdate"), output);
        }

        var content = record.Slice(FrameLimits.HeaderLength, contentLength);
        return innerType switch
        {
            ContentType.Alert => OnAlert(content, output),
            ContentType.Handshake => OnHandshake(content, output),
            _ => OnApplicationData(content, output),
        };
    }

    /// <summary>
    /// The next message of the record last passed to <see cref="Receive(Span{byte}, IBufferWriter{byte})"/>
    /// (pass the same bytes again), while <see cref="HasPendingMessages"/>. Each batched message must be
    /// whole inside the record; its payload points into <paramref name="record"/>.
    /// </summary>
    internal ChannelEvent ReceiveNext(Span<byte> record, IBufferWriter<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!HasPendingMessages || _receiveClosed)
        {
            _batchNext = _batchEnd = 0;
            return default;
        }

        if (record.Length < _batchEnd)
        {
            throw new ArgumentException("not the record received last", nameof(record));
        }

        var content = record[_batchNext.._batchEnd];
        var failure = ReadMessageHeader(content, out var kind, out var id, out var signed, out var length);
        if (failure is null && MessageHeaderLength + (long)length > content.Length)
        {
            failure = new ProtocolFailure(AlertDescription.DecodeError, "a message after the first in a record is cut short (batched messages must be whole)");
        }

        failure ??= CheckCorrelation(kind, id);

        if (failure is not null)
        {
            _batchNext = _batchEnd = 0;
            return Fail(failure, output);
        }

        _batchNext += MessageHeaderLength + (int)length;
        if (_batchNext >= _batchEnd)
        {
            _batchNext = _batchEnd = 0;
        }

        return new ChannelEvent(ChannelEventKind.Message, kind, id, signed, content.Slice(MessageHeaderLength, (int)length));
    }

    /// <summary>The next message of the record last passed to <see cref="Receive(in Frame, IBufferWriter{byte})"/>, while <see cref="HasPendingMessages"/>.</summary>
    internal ChannelEvent ReceiveNext(IBufferWriter<byte> output) =>
        _recordRental is { } rental ? ReceiveNext(rental.AsSpan(0, _recordRentalLength), output) : ReceiveNext([], output);

    /// <summary>
    /// Opens one record given as contiguous, writable bytes (as <see cref="Receive(Span{byte}, IBufferWriter{byte})"/>)
    /// and yields its event and then every further message it carries.
    /// </summary>
    public ReceivedRecord ReceiveAll(Span<byte> record, IBufferWriter<byte> output) =>
        new(this, record, output, heldByChannel: false, Receive(record, output));

    /// <summary>Processes one received frame (as <see cref="Receive(in Frame, IBufferWriter{byte})"/>) and yields its event and every further message.</summary>
    public ReceivedRecord ReceiveAll(in Frame frame, IBufferWriter<byte> output) =>
        new(this, default, output, heldByChannel: true, Receive(frame, output));

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _sealer.Dispose();
        _opener.Dispose();
        ReleaseCompletedAssembly();
        if (_assembly is not null)
        {
            ReturnZeroed(_assembly, _assembled);
            _assembly = null;
        }

        ReleaseRecordRental();
        ReturnStaging();
    }

    private bool TryWriteMessage(MessageKind kind, ulong id, ReadOnlySpan<byte> payload, IBufferWriter<byte> output, bool signed)
    {
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (payload.Length > PeerMaxMessageSize)
        {
            throw new ArgumentException($"message of {payload.Length} bytes exceeds the peer's maximum of {PeerMaxMessageSize}", nameof(payload));
        }

        if (signed && !MessageSignatures)
        {
            throw new InvalidOperationException("per-message signatures were not negotiated");
        }

        if (_sendClosed)
        {
            return false;
        }

        var whole = MessageHeaderLength + payload.Length;
        if (_batchOpen && whole <= FrameLimits.MaxContent)
        {
            if (_staged + whole > FrameLimits.MaxContent && !SealStaged(output))
            {
                return false;
            }

            var staged = (_staging ??= ArrayPool<byte>.Shared.Rent(FrameLimits.MaxContent)).AsSpan(_staged, whole);
            WriteMessageHeader(staged, kind, id, signed, payload.Length);
            payload.CopyTo(staged[MessageHeaderLength..]);
            _staged += whole;
            return true;
        }

        // A message that needs records of its own leaves after what was collected before it.
        if (_staged > 0 && !SealStaged(output))
        {
            return false;
        }

        var offset = 0;
        var first = true;
        while (first || offset < payload.Length)
        {
            if (NeedsKeyUpdate() && !TryWriteKeyUpdate(false, output))
            {
                return false;
            }

            var headerLength = first ? MessageHeaderLength : 0;
            var chunk = Math.Min(payload.Length - offset, FrameLimits.MaxContent - headerLength);
            var contentLength = headerLength + chunk;
            var span = output.GetSpan(RecordSealer.RecordLength(contentLength));
            var content = span.Slice(FrameLimits.HeaderLength, contentLength);
            if (first)
            {
                WriteMessageHeader(content, kind, id, signed, payload.Length);
            }

            payload.Slice(offset, chunk).CopyTo(content[headerLength..]);
            var written = _sealer.SealInPlace(span, contentLength, ContentType.ApplicationData);
            if (written < 0)
            {
                Exhausted();
                return false;
            }

            output.Advance(written);
            offset += chunk;
            first = false;
        }

        return true;
    }

    private static void WriteMessageHeader(Span<byte> content, MessageKind kind, ulong id, bool signed, int length)
    {
        // kind u8 ‖ flags u8 ‖ id u64 ‖ length u32
        content[0] = (byte)kind;
        content[1] = signed ? SignedFlag : (byte)0;
        BinaryPrimitives.WriteUInt64BigEndian(content[2..], id);
        BinaryPrimitives.WriteUInt32BigEndian(content[10..], (uint)length);
    }

    /// <summary>Seals the collected messages as one application-data record (after a KeyUpdate, if one is due).</summary>
    private bool SealStaged(IBufferWriter<byte> output)
    {
        var length = _staged;
        _staged = 0;
        var staging = _staging!;
        try
        {
            if (NeedsKeyUpdate() && !TryWriteKeyUpdate(false, output))
            {
                return false;
            }

            return SealRecord(staging.AsSpan(0, length), ContentType.ApplicationData, output);
        }
        finally
        {
            // The collected plaintext is not kept once it is sealed (or refused).
            CryptographicOperations.ZeroMemory(staging.AsSpan(0, length));
        }
    }

    private void ReturnStaging()
    {
        if (_staging is { } staging)
        {
            _staging = null;
            CryptographicOperations.ZeroMemory(staging.AsSpan(0, _staged));
            _staged = 0;
            ArrayPool<byte>.Shared.Return(staging);
        }
    }

    private bool NeedsKeyUpdate() =>
        (long)_sealer.SequenceNumber >= _options.KeyUpdateAfterRecords
        || _sealer.BytesUnderCurrentKey >= _options.KeyUpdateAfterBytes
        || _time.GetTimestamp() >= _keyUpdateDue;

    private void StartKeyClock()
    {
        // The interval is turned into the clock's own units once per key, so the check on every
        // record is one clock read and a compare; a due time past the clock's range never comes.
        var now = _time.GetTimestamp();
        var interval = _options.KeyUpdateInterval.TotalSeconds * _time.TimestampFrequency;
        _keyUpdateDue = interval >= long.MaxValue - now ? long.MaxValue : now + (long)interval;
    }

    private bool SealRecord(ReadOnlySpan<byte> content, ContentType type, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(RecordSealer.RecordLength(content.Length));
        var written = _sealer.Seal(content, type, span);
        if (written < 0)
        {
            Exhausted();
            return false;
        }

        output.Advance(written);
        return true;
    }

    private void Exhausted()
    {
        // Sequence numbers never wrap: the connection must end (brief §2, Noise §5.1).
        _sendClosed = true;
        Failure ??= new ProtocolFailure(AlertDescription.InternalError, "sequence numbers exhausted");
    }

    private ChannelEvent OnAlert(ReadOnlySpan<byte> content, IBufferWriter<byte> output)
    {
        if (content.Length != 2)
        {
            return Fail(new ProtocolFailure(AlertDescription.DecodeError, "alert is not 2 bytes"), output);
        }

        _receiveClosed = true;
        if (content[1] == (byte)AlertDescription.CloseNotify)
        {
            return new ChannelEvent(ChannelEventKind.Closed);
        }

        Failure = new ProtocolFailure((AlertDescription)content[1], "alert received", ReceivedFromPeer: true);
        _sendClosed = true;
        return new ChannelEvent(ChannelEventKind.Failed, failure: Failure);
    }

    private ChannelEvent OnHandshake(ReadOnlySpan<byte> content, IBufferWriter<byte> output)
    {
        // Only KeyUpdate is legal after the handshake, alone in its record: 24 ‖ 00 01 ‖ request_update (PROTOCOL.md §5.8).
        if (content.IsEmpty)
        {
            return Fail(new ProtocolFailure(AlertDescription.DecodeError, "empty handshake record after the handshake"), output);
        }

        if (content[0] != KeyUpdateType)
        {
            return Fail(new ProtocolFailure(AlertDescription.UnexpectedMessage, $"handshake message type {content[0]} after the handshake (only KeyUpdate is allowed)"), output);
        }

        if (content.Length != 4 || BinaryPrimitives.ReadUInt16BigEndian(content[1..]) != 1)
        {
            return Fail(new ProtocolFailure(AlertDescription.DecodeError, $"a KeyUpdate record must be exactly 18 00 01 xx, alone in its record; this one has {content.Length} bytes"), output);
        }

        if (content[3] > 1)
        {
            return Fail(new ProtocolFailure(AlertDescription.IllegalParameter, "KeyUpdate request flag is not 0 or 1"), output);
        }

        if (++_keyUpdatesInRow > _options.MaxConsecutiveKeyUpdates)
        {
            return Fail(new ProtocolFailure(AlertDescription.UnexpectedMessage, "too many KeyUpdates without data"), output);
        }

        _opener.UpdateKey();
        KeyUpdatesReceived++;
        if (content[3] == 1 && !_sendClosed)
        {
            TryWriteKeyUpdate(false, output);
        }

        return default;
    }

    private ChannelEvent OnApplicationData(ReadOnlySpan<byte> content, IBufferWriter<byte> output)
    {
        if (content.IsEmpty)
        {
            return ++_emptyRecords > _options.MaxEmptyRecords
                ? Fail(new ProtocolFailure(AlertDescription.UnexpectedMessage, "too many empty records"), output)
                : default;
        }

        _emptyRecords = 0;
        _keyUpdatesInRow = 0;
        if (_assembly is not null)
        {
            return OnContinuation(content, output);
        }

        var failure = ReadMessageHeader(content, out var kind, out var id, out var signed, out var length);
        if (failure is not null)
        {
            return Fail(failure, output);
        }

        var chunk = content[MessageHeaderLength..];
        if (chunk.Length > length && !MessageBatching)
        {
            return Fail(new ProtocolFailure(AlertDescription.DecodeError, "record carries more than the message length"), output);
        }

        var correlation = CheckCorrelation(kind, id);
        if (correlation is not null)
        {
            return Fail(correlation, output);
        }

        if (chunk.Length > length)
        {
            // More messages follow in this record (§8.7): offsets into the record, header included.
            _batchNext = FrameLimits.HeaderLength + MessageHeaderLength + (int)length;
            _batchEnd = FrameLimits.HeaderLength + content.Length;
            return new ChannelEvent(ChannelEventKind.Message, kind, id, signed, chunk[..(int)length]);
        }

        if (chunk.Length == length)
        {
            return new ChannelEvent(ChannelEventKind.Message, kind, id, signed, chunk);
        }

        _expected = (int)length;
        _assembly = ArrayPool<byte>.Shared.Rent(_expected);
        chunk.CopyTo(_assembly);
        _assembled = chunk.Length;
        _assemblyKind = kind;
        _assemblyId = id;
        _assemblySigned = signed;
        return default;
    }

    /// <summary>
    /// Checks one message header (kind, flags, length against our maximum); null when valid. The
    /// caller checks how the length fits its record, then the id's sequence (<see cref="CheckCorrelation"/>),
    /// in that order, so each malformed input keeps the one alert it always had.
    /// </summary>
    private ProtocolFailure? ReadMessageHeader(ReadOnlySpan<byte> content, out MessageKind kind, out ulong id, out bool signed, out uint length)
    {
        kind = default;
        id = 0;
        signed = false;
        length = 0;
        if (content.Length < MessageHeaderLength)
        {
            return new ProtocolFailure(AlertDescription.DecodeError, "record shorter than a message header");
        }

        var kindByte = content[0];
        var flags = content[1];
        id = BinaryPrimitives.ReadUInt64BigEndian(content[2..]);
        length = BinaryPrimitives.ReadUInt32BigEndian(content[10..]);
        if (kindByte is < 1 or > 3 || (flags & ~SignedFlag) != 0 || ((flags & SignedFlag) != 0 && !MessageSignatures))
        {
            return new ProtocolFailure(AlertDescription.IllegalParameter, "unknown message kind or flags");
        }

        if (length > (uint)_options.MaxMessageSize)
        {
            // Checked from the header, before buffering any of the body.
            return new ProtocolFailure(AlertDescription.RecordOverflow, $"message of {length} bytes exceeds the maximum of {_options.MaxMessageSize}");
        }

        kind = (MessageKind)kindByte;
        signed = (flags & SignedFlag) != 0;
        return null;
    }

    private ChannelEvent OnContinuation(ReadOnlySpan<byte> content, IBufferWriter<byte> output)
    {
        if (content.Length > _expected - _assembled)
        {
            return Fail(new ProtocolFailure(AlertDescription.DecodeError, "continuation longer than the rest of the message"), output);
        }

        content.CopyTo(_assembly.AsSpan(_assembled));
        _assembled += content.Length;
        if (_assembled < _expected)
        {
            return default;
        }

        var buffer = _assembly!;
        _assembly = null;
        _releaseOnNextCall = buffer;
        _releaseLength = _expected;
        return new ChannelEvent(ChannelEventKind.Message, _assemblyKind, _assemblyId, _assemblySigned, buffer.AsSpan(0, _expected));
    }

    private ProtocolFailure? CheckCorrelation(MessageKind kind, ulong id)
    {
        switch (kind)
        {
            case MessageKind.Request when Role == ChannelRole.Server:
                if (id != _nextRequestId)
                {
                    return new ProtocolFailure(AlertDescription.IllegalParameter, $"request id {id}, expected {_nextRequestId}");
                }

                _nextRequestId++;
                return null;
            case MessageKind.Reply when Role == ChannelRole.Client:
                if (_nextReplyId >= _nextRequestId)
                {
                    return new ProtocolFailure(AlertDescription.UnexpectedMessage, $"reply {id} with no request outstanding");
                }

                if (id != _nextReplyId)
                {
                    return new ProtocolFailure(AlertDescription.IllegalParameter, $"reply id {id}, expected {_nextReplyId}");
                }

                _nextReplyId++;
                return null;
            case MessageKind.Push:
                if (id != _expectedPeerPushId)
                {
                    return new ProtocolFailure(AlertDescription.IllegalParameter, $"push id {id}, expected {_expectedPeerPushId}");
                }

                _expectedPeerPushId++;
                return null;
            default:
                return new ProtocolFailure(AlertDescription.UnexpectedMessage, $"{kind} is not valid towards the {Role.ToString().ToLowerInvariant()}");
        }
    }

    private ChannelEvent Fail(ProtocolFailure failure, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Failure = failure;
        _receiveClosed = true;
        TryWriteAlert(failure.Alert, output);
        _sendClosed = true;
        return new ChannelEvent(ChannelEventKind.Failed, failure: failure);
    }

    private void ReleaseCompletedAssembly()
    {
        if (_releaseOnNextCall is not null)
        {
            ReturnZeroed(_releaseOnNextCall, _releaseLength);
            _releaseOnNextCall = null;
        }
    }

    private void ReleaseRecordRental()
    {
        if (_recordRental is not null)
        {
            ReturnZeroed(_recordRental, _recordRentalLength);
            _recordRental = null;
        }
    }

    private static void ReturnZeroed(byte[] buffer, int used)
    {
        // Only the first `used` bytes held message plaintext; the pool rounds rentals up to a
        // power of two, so clearing the whole array would wipe up to twice the message.
        CryptographicOperations.ZeroMemory(buffer.AsSpan(0, used));
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
