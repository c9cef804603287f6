using System.Buffers;

namespace SecureActors.Protocol.Framing;

/// <summary>
/// One record as parsed from the wire. <see cref="Body"/> is a slice of the reader's input and is
/// valid only until the caller advances past it; call <see cref="ToOwned"/> to keep it.
/// </summary>
public readonly struct Frame
{
    /// <summary>Creates a frame over a body slice.</summary>
    public Frame(RecordType type, ReadOnlySequence<byte> body)
    {
        Type = type;
        Body = body;
    }

    /// <summary>The outer record type.</summary>
    public RecordType Type { get; }

    /// <summary>The record body (after the 3-byte header).</summary>
    public ReadOnlySequence<byte> Body { get; }

    /// <summary>The body length, as stated in the header.</summary>
    public int Length => (int)Body.Length;

    /// <summary>Copies the body so the frame outlives the input buffer (e.g. to send it to an actor).</summary>
    public Frame ToOwned() => new(Type, new ReadOnlySequence<byte>(Body.ToArray()));

    /// <summary>Builds a frame over a contiguous body (tests, in-memory transports).</summary>
    public static Frame Create(RecordType type, ReadOnlyMemory<byte> body) => new(type, new ReadOnlySequence<byte>(body));
}
