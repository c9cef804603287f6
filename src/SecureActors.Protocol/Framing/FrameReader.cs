using System.Buffers;
using System.Buffers.Binary;

namespace SecureActors.Protocol.Framing;

/// <summary>
/// Parses SAP/1 records from a byte stream split at arbitrary boundaries, in the
/// BedrockFramework/PipeReader shape. The length in the header is checked against the type's cap
/// as soon as the 3 header bytes are present, so a hostile length never makes the caller buffer
/// the body (brief row 3: header length 0xFFFF → record_overflow without reading it).
/// </summary>
/// <remarks>
/// Layout: <c>type u8 ‖ length u16 (big-endian) ‖ body[length]</c>.
/// </remarks>
public static class FrameReader
{
    /// <summary>
    /// Tries to parse one frame from the start of <paramref name="input"/>.
    /// </summary>
    /// <param name="input">Buffered bytes, starting at a record boundary.</param>
    /// <param name="consumed">Where the caller should advance its input to (past the frame, or the start).</param>
    /// <param name="examined">How far the parser looked; pass to <c>PipeReader.AdvanceTo</c>.</param>
    /// <param name="frame">The frame when the result is <see cref="FrameReadStatus.Complete"/>; its body slices <paramref name="input"/>.</param>
    /// <param name="failure">The alert to send when the result is <see cref="FrameReadStatus.Invalid"/>.</param>
    public static FrameReadStatus TryRead(
        in ReadOnlySequence<byte> input,
        out SequencePosition consumed,
        out SequencePosition examined,
        out Frame frame,
        out ProtocolFailure? failure)
    {
        frame = default;
        failure = null;
        consumed = input.Start;
        examined = input.End;

        if (input.Length < FrameLimits.HeaderLength)
        {
            // A single byte already tells us whether the type is valid: fail fast on garbage.
            if (!input.IsEmpty && !IsKnownType(input.FirstSpan[0]))
            {
                failure = UnknownType(input.FirstSpan[0]);
                return FrameReadStatus.Invalid;
            }

            return FrameReadStatus.Incomplete;
        }

        Span<byte> header = stackalloc byte[FrameLimits.HeaderLength];
        input.Slice(0, FrameLimits.HeaderLength).CopyTo(header);
        var typeByte = header[0];
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[1..]);

        if (!IsKnownType(typeByte))
        {
            failure = UnknownType(typeByte);
            return FrameReadStatus.Invalid;
        }

        var type = (RecordType)typeByte;
        var cap = MaxBodyLength(type);
        if (length > cap)
        {
            failure = new ProtocolFailure(AlertDescription.RecordOverflow, $"record length {length} exceeds the {cap}-byte cap for {type}");
            return FrameReadStatus.Invalid;
        }

        if (input.Length < FrameLimits.HeaderLength + length)
        {
            return FrameReadStatus.Incomplete;
        }

        var body = input.Slice(FrameLimits.HeaderLength, length);
        frame = new Frame(type, body);
        consumed = body.End;
        examined = body.End;
        return FrameReadStatus.Complete;
    }

    /// <summary>The largest body the header may announce for a record type.</summary>
    public static int MaxBodyLength(RecordType type) =>
        type == RecordType.Protected ? FrameLimits.MaxProtectedRecord : FrameLimits.MaxPlaintextRecord;

    private static bool IsKnownType(byte type) =>
        type is (byte)RecordType.Alert or (byte)RecordType.Handshake or (byte)RecordType.Protected;

    private static ProtocolFailure UnknownType(byte type) =>
        new(AlertDescription.UnexpectedMessage, $"unknown record type 0x{type:x2}");
}
