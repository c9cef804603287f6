using System.Buffers.Binary;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;

namespace SecureActors.Protocol.Records;

/// <summary>
/// Protects records in one direction. Allocation-free per record: the caller provides the output
/// span. Not thread-safe; one sealer belongs to one connection's sending side.
/// </summary>
/// <remarks>
/// Record layout produced:
/// <code>
/// [0]      0x17                      outer type (AAD)
/// [1..3)   u16 len = n + 1 + 16      (AAD)
/// [3..3+n+1)   AEAD(content[n] ‖ inner_type)
/// [^16..)  tag
/// nonce = iv XOR (0^32 ‖ seq_be64); seq starts at 0 and resets at each key change.
/// </code>
/// </remarks>
public sealed class RecordSealer : IDisposable
{
    private readonly TrafficSecret _secret;

    internal RecordSealer(TrafficSecret secret)
    {
        _secret = secret;
    }

    /// <summary>Builds a sealer from a raw traffic secret (tests, benchmarks, known answers).</summary>
    public static RecordSealer Create(CipherSuite suite, ReadOnlySpan<byte> trafficSecret) =>
        new(new TrafficSecret(SuiteParameters.For(suite), trafficSecret));

    /// <summary>
    /// Builds a sealer from a raw traffic secret, with the callback the insecure
    /// <see cref="CipherSuite.Classroom"/> suite raises on every record (ignored by the real suites).
    /// </summary>
    public static RecordSealer Create(CipherSuite suite, ReadOnlySpan<byte> trafficSecret, Action<string>? securityWarning) =>
        new(new TrafficSecret(SuiteParameters.For(suite), trafficSecret, securityWarning));

    /// <summary>The sequence number the next record will use.</summary>
    public ulong SequenceNumber { get; internal set; }

    /// <summary>Bytes of content sealed under the current key.</summary>
    public long BytesUnderCurrentKey { get; private set; }

    /// <summary>The on-wire size of a record carrying <paramref name="contentLength"/> bytes.</summary>
    public static int RecordLength(int contentLength) => FrameLimits.HeaderLength + contentLength + 1 + FrameLimits.TagLength;

    /// <summary>
    /// Seals a record whose content is already in place at <c>record[3..3+contentLength]</c>
    /// (copy-free for callers that build content directly in the output buffer).
    /// </summary>
    /// <returns>The record length, or -1 when the sequence space is exhausted (the connection must close).</returns>
    public int SealInPlace(Span<byte> record, int contentLength, ContentType innerType)
    {
        // One unsigned comparison rejects negative lengths too.
        if ((uint)contentLength > FrameLimits.MaxContent)
        {
            throw new ArgumentOutOfRangeException(nameof(contentLength), contentLength, "content over 2^14 bytes");
        }

        var total = RecordLength(contentLength);
        if (record.Length < total)
        {
            throw new ArgumentException("destination too small", nameof(record));
        }

        // The sequence number never wraps (brief §2): 2^64−1 is never used.
        if (SequenceNumber == ulong.MaxValue)
        {
            return -1;
        }

        // The header is written here rather than by FrameWriter.WriteHeader, whose range checks
        // would only repeat the one above on every record.
        record = record[..total];
        record[0] = (byte)RecordType.Protected;
        BinaryPrimitives.WriteUInt16BigEndian(record[1..], (ushort)(total - FrameLimits.HeaderLength));
        record[FrameLimits.HeaderLength + contentLength] = (byte)innerType;
        var plaintext = record.Slice(FrameLimits.HeaderLength, contentLength + 1);
        var tag = record[^FrameLimits.TagLength..];

        _secret.Cipher.Encrypt(_secret.Nonce(SequenceNumber), plaintext, plaintext, tag, record[..FrameLimits.HeaderLength]);
        SequenceNumber++;
        BytesUnderCurrentKey += contentLength;
        return total;
    }

    /// <summary>Copies <paramref name="content"/> into <paramref name="destination"/> and seals it there.</summary>
    /// <returns>The record length, or -1 when the sequence space is exhausted.</returns>
    public int Seal(ReadOnlySpan<byte> content, ContentType innerType, Span<byte> destination)
    {
        // Checked before the copy so an oversized content never writes past a record's worth of bytes.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(content.Length, FrameLimits.MaxContent);
        content.CopyTo(destination[FrameLimits.HeaderLength..]);
        return SealInPlace(destination, content.Length, innerType);
    }

    /// <summary>Switches to the next traffic secret (after sending a KeyUpdate); resets the sequence number.</summary>
    public void UpdateKey()
    {
        _secret.Update();
        SequenceNumber = 0;
        BytesUnderCurrentKey = 0;
    }

    /// <inheritdoc />
    public void Dispose() => _secret.Dispose();
}
