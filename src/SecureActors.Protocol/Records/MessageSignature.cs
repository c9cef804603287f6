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
/// deniability and ≈0.25 ms per message at 2048 bits). The channel only carries the "signed" flag;
/// these helpers build and check the block, typically on a crypto worker.
/// <code>
/// payload   = block_length u16 ‖ counter u64 ‖ unix_ms u64 ‖ scheme u16 ‖ signature vector16 ‖ application
///             (block_length = 20 + len(signature): the bytes after itself, up to the application)
/// digest    = SHA-256(SHA-256(sender SPKI) ‖ u16 len(room) ‖ room ‖ counter u64 ‖ unix_ms u64 ‖ SHA-256(application))
/// content   = 0x20 × 64 ‖ "SecureActors v1, message signature" ‖ 0x00 ‖ digest
/// signature = RSA-PSS-SHA256(sender key, content), salt 32 bytes
/// </code>
/// </summary>
public static class MessageSignature
{
    /// <summary>
    /// The only scheme a block may carry. The digest is SHA-256 whatever the scheme, so a larger PSS
    /// hash would add cost and a negotiation without adding strength.
    /// </summary>
    public const SignatureScheme Scheme = SignatureScheme.RsaPssRsaeSha256;

    /// <summary>Bytes of the block before the signature: block_length, counter, unix_ms, scheme, signature length.</summary>
    public const int FixedBlockLength = 2 + 8 + 8 + 2 + 2;

    /// <summary>The block's size for a key of <paramref name="keySizeBits"/>: what a signed message adds to its application bytes.</summary>
    public static int BlockLength(int keySizeBits) => FixedBlockLength + ((keySizeBits + 7) / 8);

    /// <summary>Builds a signed payload (block ‖ application bytes) with a shared identity (signing is serialised on it).</summary>
    public static byte[] Sign(LocalIdentity sender, string room, ulong counter, long unixMilliseconds, ReadOnlySpan<byte> application)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var content = Content(sender.Spki.Span, room, counter, unixMilliseconds, application);
        return Assemble(counter, unixMilliseconds, sender.Sign(content, HashAlgorithmName.SHA256), application);
    }

    /// <summary>Builds a signed payload with a private-key handle the caller owns (a crypto worker's, a connection's).</summary>
    /// <param name="signer">The sender's private key; not shared with another thread during the call.</param>
    /// <param name="senderSpki">The DER SPKI of <paramref name="signer"/>, as the peer received it in the handshake.</param>
    /// <param name="room">The context the signature is bound to: the session id in lower-case hex (§12).</param>
    /// <param name="counter">Strictly increasing per direction of a session, from 1.</param>
    /// <param name="unixMilliseconds">The sender's clock.</param>
    /// <param name="application">The bytes the application sends.</param>
    public static byte[] Sign(RSA signer, ReadOnlySpan<byte> senderSpki, string room, ulong counter, long unixMilliseconds, ReadOnlySpan<byte> application)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var content = Content(senderSpki, room, counter, unixMilliseconds, application);
        return Assemble(counter, unixMilliseconds, signer.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pss), application);
    }

    /// <summary>Splits a signed payload; false if the block's layout is malformed (decode_error). The scheme is not judged here.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out SignedMessage? message)
    {
        message = null;
        if (payload.Length < FixedBlockLength)
        {
            return false;
        }

        var blockLength = BinaryPrimitives.ReadUInt16BigEndian(payload);
        var signatureLength = BinaryPrimitives.ReadUInt16BigEndian(payload[20..]);
        if (blockLength != FixedBlockLength - 2 + signatureLength || payload.Length < 2 + blockLength)
        {
            return false;
        }

        message = new SignedMessage(
            BinaryPrimitives.ReadUInt64BigEndian(payload[2..]),
            BinaryPrimitives.ReadInt64BigEndian(payload[10..]),
            (SignatureScheme)BinaryPrimitives.ReadUInt16BigEndian(payload[18..]),
            payload.Slice(FixedBlockLength, signatureLength).ToArray(),
            payload[(2 + blockLength)..].ToArray());
        return true;
    }

    /// <summary>Verifies a parsed message against the sender's key and the room it was sent to.</summary>
    public static bool Verify(PeerIdentity sender, string room, SignedMessage message)
    {
        ArgumentNullException.ThrowIfNull(sender);
        using var key = RsaKeyPolicy.TryImport(sender.Spki.Span, out _);
        return key is not null && Verify(key, sender.Spki.Span, room, message);
    }

    /// <summary>Verifies with the sender's public key already imported (a connection verifying many messages from one peer).</summary>
    public static bool Verify(RSA senderKey, ReadOnlySpan<byte> senderSpki, string room, SignedMessage message)
    {
        ArgumentNullException.ThrowIfNull(senderKey);
        ArgumentNullException.ThrowIfNull(message);
        if (message.Scheme != Scheme || message.Signature.Length != (senderKey.KeySize + 7) / 8)
        {
            return false;
        }

        var content = Content(senderSpki, room, message.Counter, message.UnixMilliseconds, message.Application);
        return senderKey.VerifyData(content, message.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    /// <summary>The 32-byte digest of §12 (exposed for the known-answer test).</summary>
    internal static byte[] Digest(ReadOnlySpan<byte> spki, string room, ulong counter, long unixMilliseconds, ReadOnlySpan<byte> application)
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
        return SHA256.HashData(buffer);
    }

    /// <summary>The bytes RSA-PSS signs (exposed for the known-answer test).</summary>
    internal static byte[] Content(ReadOnlySpan<byte> spki, string room, ulong counter, long unixMilliseconds, ReadOnlySpan<byte> application) =>
        SignatureSchemes.BuildContent(SignatureSchemes.MessageContext, Digest(spki, room, counter, unixMilliseconds, application));

    private static byte[] Assemble(ulong counter, long unixMilliseconds, byte[] signature, ReadOnlySpan<byte> application)
    {
        // block_length u16 ‖ counter u64 ‖ unix_ms u64 ‖ scheme u16 ‖ signature_length u16 ‖ signature ‖ application
        var blockLength = FixedBlockLength - 2 + signature.Length;
        var payload = new byte[checked(2 + blockLength + application.Length)];
        var span = payload.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, checked((ushort)blockLength));
        BinaryPrimitives.WriteUInt64BigEndian(span[2..], counter);
        BinaryPrimitives.WriteInt64BigEndian(span[10..], unixMilliseconds);
        BinaryPrimitives.WriteUInt16BigEndian(span[18..], (ushort)Scheme);
        BinaryPrimitives.WriteUInt16BigEndian(span[20..], checked((ushort)signature.Length));
        signature.CopyTo(span[FixedBlockLength..]);
        application.CopyTo(span[(2 + blockLength)..]);
        return payload;
    }
}

/// <summary>
/// The receiver's rules of PROTOCOL.md §12 for one direction of one session, in the order the spec
/// gives them, up to (not including) the RSA verification, which the caller runs where it likes
/// (inline, or on a crypto worker) with <see cref="MessageSignature.Verify(PeerIdentity, string, SignedMessage)"/>;
/// a failed verification is <see cref="BadSignature"/>. Not thread-safe: the session's owner calls it
/// for each message in arrival order, so the counter check sees the wire order.
/// </summary>
public sealed class MessageSignatureReceiver
{
    private ulong _highestCounter;

    /// <summary>Creates the rules for messages from <paramref name="sender"/> (null: a client that proved no identity).</summary>
    public MessageSignatureReceiver(PeerIdentity? sender, string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        Sender = sender;
        Room = room;
    }

    /// <summary>The key messages must be signed with; null when the sender has none and must not sign.</summary>
    public PeerIdentity? Sender { get; }

    /// <summary>The room signatures are bound to (the session id in lower-case hex).</summary>
    public string Room { get; }

    /// <summary>The failure for a signature that does not verify.</summary>
    public static ProtocolFailure BadSignature(string what) =>
        new(AlertDescription.DecryptError, $"{what}: message signature does not verify");

    /// <summary>
    /// Checks the flag, the block's layout, the scheme and the counter. Null means admitted: then
    /// <paramref name="message"/> is the parsed block to verify, or null for an unsigned message
    /// from a sender without identity (nothing to verify).
    /// </summary>
    /// <param name="signed">The message header's signed flag.</param>
    /// <param name="payload">The message payload as received.</param>
    /// <param name="what">Names the message in the failure's reason (e.g. "request 7").</param>
    /// <param name="message">The parsed block, when there is one to verify.</param>
    public ProtocolFailure? Admit(bool signed, ReadOnlySpan<byte> payload, string what, out SignedMessage? message)
    {
        message = null;
        if (Sender is null)
        {
            return signed
                ? new ProtocolFailure(AlertDescription.IllegalParameter, $"{what}: signed, but the sender proved no identity to verify it with")
                : null;
        }

        if (!signed)
        {
            return new ProtocolFailure(AlertDescription.IllegalParameter, $"{what}: unsigned, but message signatures are in use");
        }

        if (!MessageSignature.TryParse(payload, out var parsed))
        {
            return new ProtocolFailure(AlertDescription.DecodeError, $"{what}: malformed signature block");
        }

        if (parsed!.Scheme != MessageSignature.Scheme)
        {
            return new ProtocolFailure(AlertDescription.IllegalParameter, $"{what}: signature scheme 0x{(ushort)parsed.Scheme:x4} is not rsa_pss_rsae_sha256");
        }

        if (parsed.Counter <= _highestCounter)
        {
            return new ProtocolFailure(AlertDescription.IllegalParameter, $"{what}: signature counter {parsed.Counter} does not increase (last {_highestCounter})");
        }

        _highestCounter = parsed.Counter;
        message = parsed;
        return null;
    }
}
