using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;

namespace SecureActors.Protocol.Records;

/// <summary>A parsed signature block and the application bytes it covers.</summary>
public sealed record SignedMessage(ulong Counter, long UnixMilliseconds, SignatureScheme Scheme, byte[] Signature, byte[] Application);

/// <summary>
/// Optional per-message RSA-PSS signatures (PROTOCOL.md §12): end-to-end authorship that a relaying
/// server cannot forge and that stays verifiable later (non-repudiation, at the cost of
/// deniability and ≈0.25 ms per message). The channel only carries the "signed" flag; these
/// helpers build and check the block, typically on a crypto worker.
/// <code>
/// block   = block_length u16 ‖ counter u64 ‖ unix_ms u64 ‖ scheme u16 ‖ signature vector16
/// payload = block ‖ application bytes
/// digest  = SHA-256(SHA-256(sender SPKI) ‖ u16 len(room) ‖ room ‖ counter u64 ‖ unix_ms u64 ‖ SHA-256(application))
/// </code>
/// </summary>
public static class MessageSignature
{
    /// <summary>Builds a signed payload (block ‖ application bytes).</summary>
    public static byte[] Sign(LocalIdentity sender, string room, ulong counter, long unixMilliseconds, ReadOnlySpan<byte> application, SignatureScheme scheme = SignatureScheme.RsaPssRsaeSha256)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var content = Content(sender.Spki.Span, room, counter, unixMilliseconds, application);
        var signature = sender.Sign(content, SignatureSchemes.HashOf(scheme));
        var blockLength = 8 + 8 + 2 + 2 + signature.Length;
        var payload = new byte[2 + blockLength + application.Length];
        var span = payload.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, checked((ushort)blockLength));
        BinaryPrimitives.WriteUInt64BigEndian(span[2..], counter);
        BinaryPrimitives.WriteInt64BigEndian(span[10..], unixMilliseconds);
        BinaryPrimitives.WriteUInt16BigEndian(span[18..], (ushort)scheme);
        BinaryPrimitives.WriteUInt16BigEndian(span[20..], (ushort)signature.Length);
        signature.CopyTo(span[22..]);
        application.CopyTo(span[(2 + blockLength)..]);
        return payload;
    }

    /// <summary>Splits a signed payload; false if the block is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out SignedMessage? message)
    {
        message = null;
        if (payload.Length < 22)
        {
            return false;
        }

        var blockLength = BinaryPrimitives.ReadUInt16BigEndian(payload);
        var signatureLength = BinaryPrimitives.ReadUInt16BigEndian(payload[20..]);
        var scheme = BinaryPrimitives.ReadUInt16BigEndian(payload[18..]);
        if (blockLength != 20 + signatureLength || payload.Length < 2 + blockLength || !SignatureSchemes.IsKnown(scheme))
        {
            return false;
        }

        message = new SignedMessage(
            BinaryPrimitives.ReadUInt64BigEndian(payload[2..]),
            BinaryPrimitives.ReadInt64BigEndian(payload[10..]),
            (SignatureScheme)scheme,
            payload.Slice(22, signatureLength).ToArray(),
            payload[(2 + blockLength)..].ToArray());
        return true;
    }

    /// <summary>Verifies a parsed message against the sender's key and the room it was sent to.</summary>
    public static bool Verify(PeerIdentity sender, string room, SignedMessage message)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(message);
        using var key = RsaKeyPolicy.TryImport(sender.Spki.Span, out _);
        if (key is null || message.Signature.Length != (key.KeySize + 7) / 8)
        {
            return false;
        }

        var content = Content(sender.Spki.Span, room, message.Counter, message.UnixMilliseconds, message.Application);
        return key.VerifyData(content, message.Signature, SignatureSchemes.HashOf(message.Scheme), RSASignaturePadding.Pss);
    }

    private static byte[] Content(ReadOnlySpan<byte> spki, string room, ulong counter, long unixMilliseconds, ReadOnlySpan<byte> application)
    {
        ArgumentNullException.ThrowIfNull(room);
        var roomBytes = Encoding.UTF8.GetBytes(room);
        var buffer = new byte[32 + 2 + roomBytes.Length + 8 + 8 + 32];
        var span = buffer.AsSpan();
        SHA256.HashData(spki, span);
        BinaryPrimitives.WriteUInt16BigEndian(span[32..], checked((ushort)roomBytes.Length));
        roomBytes.CopyTo(span[34..]);
        var offset = 34 + roomBytes.Length;
        BinaryPrimitives.WriteUInt64BigEndian(span[offset..], counter);
        BinaryPrimitives.WriteInt64BigEndian(span[(offset + 8)..], unixMilliseconds);
        SHA256.HashData(application, span[(offset + 16)..]);
        return SignatureSchemes.BuildContent(SignatureSchemes.MessageContext, SHA256.HashData(buffer));
    }
}

/// <summary>Per-sender counter high-water marks: a counter that does not increase is a replay.</summary>
public sealed class MessageReplayGuard
{
    private readonly Dictionary<string, ulong> _highWater = new(StringComparer.Ordinal);

    /// <summary>Accepts the counter if it is above the sender's previous one.</summary>
    public bool TryAccept(string senderFingerprint, ulong counter)
    {
        ArgumentNullException.ThrowIfNull(senderFingerprint);
        if (_highWater.TryGetValue(senderFingerprint, out var previous) && counter <= previous)
        {
            return false;
        }

        _highWater[senderFingerprint] = counter;
        return true;
    }
}
