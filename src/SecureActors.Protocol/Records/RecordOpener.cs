using System.Buffers.Binary;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;

namespace SecureActors.Protocol.Records;

/// <summary>
/// Opens records in one direction, in place. Allocation-free. Every authentication failure is the
/// same bad_record_mac whatever its cause (wrong key, replay, reorder, reflection, altered header),
/// and the plaintext of a failed record is wiped before returning.
/// </summary>
public sealed class RecordOpener : IDisposable
{
    private readonly TrafficSecret _secret;

    internal RecordOpener(TrafficSecret secret)
    {
        _secret = secret;
    }

    /// <summary>Builds an opener from a raw traffic secret (tests, benchmarks, known answers).</summary>
    public static RecordOpener Create(CipherSuite suite, ReadOnlySpan<byte> trafficSecret) =>
        new(new TrafficSecret(SuiteParameters.For(suite), trafficSecret));

    /// <summary>
    /// Builds a opener from a raw traffic secret, with the callback the insecure
    /// <see cref="CipherSuite.Classroom"/> suite raises on every record (ignored by the real suites).
    /// </summary>
    public static RecordOpener Create(CipherSuite suite, ReadOnlySpan<byte> trafficSecret, Action<string>? securityWarning) =>
        new(new TrafficSecret(SuiteParameters.For(suite), trafficSecret, securityWarning));

    /// <summary>The sequence number the next record must carry.</summary>
    public ulong SequenceNumber { get; internal set; }

    /// <summary>
    /// Decrypts <paramref name="record"/> (header ‖ body, contiguous and writable) in place. On
    /// success the content is <c>record.Slice(3, contentLength)</c>.
    /// </summary>
    public bool TryOpen(Span<byte> record, out ContentType innerType, out int contentLength, out AlertDescription alert)
    {
        innerType = default;
        contentLength = 0;
        alert = AlertDescription.BadRecordMac;
        if (record.Length < FrameLimits.HeaderLength + 1 + FrameLimits.TagLength
            || record[0] != (byte)RecordType.Protected
            || BinaryPrimitives.ReadUInt16BigEndian(record[1..]) != record.Length - FrameLimits.HeaderLength)
        {
            return false;
        }

        if (record.Length > FrameLimits.MaxRecordOnWire)
        {
            alert = AlertDescription.RecordOverflow;
            return false;
        }

        if (SequenceNumber == ulong.MaxValue)
        {
            alert = AlertDescription.UnexpectedMessage;
            return false;
        }

        var ciphertext = record[FrameLimits.HeaderLength..^FrameLimits.TagLength];
        var tag = record[^FrameLimits.TagLength..];
        if (!_secret.Cipher.TryDecrypt(_secret.Nonce(SequenceNumber), ciphertext, tag, ciphertext, record[..FrameLimits.HeaderLength]))
        {
            return false;
        }

        SequenceNumber++;

        // Strip zero padding: the inner type is the last non-zero byte (RFC 8446 §5.4). SAP/1
        // senders never pad, so it is almost always the last byte and the scan is skipped.
        var last = ciphertext[^1] != 0 ? ciphertext.Length - 1 : ciphertext.LastIndexOfAnyExcept((byte)0);
        if (last < 0)
        {
            alert = AlertDescription.UnexpectedMessage;
            return false;
        }

        if (last > FrameLimits.MaxContent)
        {
            alert = AlertDescription.RecordOverflow;
            return false;
        }

        var type = ciphertext[last];
        if (type is not ((byte)ContentType.Alert or (byte)ContentType.Handshake or (byte)ContentType.ApplicationData))
        {
            alert = AlertDescription.UnexpectedMessage;
            return false;
        }

        innerType = (ContentType)type;
        contentLength = last;
        return true;
    }

    /// <summary>Switches to the peer's next traffic secret (after receiving its KeyUpdate).</summary>
    public void UpdateKey()
    {
        _secret.Update();
        SequenceNumber = 0;
    }

    /// <inheritdoc />
    public void Dispose() => _secret.Dispose();
}
