using System.Buffers;

namespace SecureActors.Protocol.Framing;

/// <summary>
/// The 8-byte magic a client sends before its first record, <c>"SECACTR\n"</c>. Both sides hash it
/// into the transcript as a Noise-style prologue, so a peer that speaks something else can never
/// complete a handshake, and a server recognises HTTP or random bytes at the first wrong byte.
/// </summary>
public static class Prologue
{
    /// <summary>Length of the magic in bytes.</summary>
    public const int Length = 8;

    /// <summary>The magic bytes: 53 45 43 41 43 54 52 0A.</summary>
    public static ReadOnlySpan<byte> Magic => "SECACTR\n"u8;

    /// <summary>
    /// Checks the start of a connection. Compares each byte as soon as it arrives, so garbage is
    /// rejected without waiting for all 8 bytes (brief row 2).
    /// </summary>
    /// <returns><see cref="FrameReadStatus.Complete"/> with <paramref name="consumed"/> past the magic, <see cref="FrameReadStatus.Incomplete"/>, or <see cref="FrameReadStatus.Invalid"/> (close without an alert: the peer does not speak SAP/1).</returns>
    public static FrameReadStatus TryRead(in ReadOnlySequence<byte> input, out SequencePosition consumed, out SequencePosition examined)
    {
        consumed = input.Start;
        examined = input.End;
        var available = (int)Math.Min(input.Length, Length);
        Span<byte> head = stackalloc byte[Length];
        input.Slice(0, available).CopyTo(head);
        if (!head[..available].SequenceEqual(Magic[..available]))
        {
            return FrameReadStatus.Invalid;
        }

        if (available < Length)
        {
            return FrameReadStatus.Incomplete;
        }

        consumed = input.GetPosition(Length);
        examined = consumed;
        return FrameReadStatus.Complete;
    }
}
