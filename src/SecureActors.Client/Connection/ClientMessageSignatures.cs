using System.Security.Cryptography;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;

namespace SecureActors.Client.Connection;

/// <summary>
/// The client's half of per-message signatures (PROTOCOL.md §12) on one session: requests are signed
/// with the client's key when the client proved it in the handshake (a server that did not ask for
/// client authentication gets unsigned requests, as §12 requires), and the server's replies and pushes must carry a signature that verifies
/// against the key it proved in the handshake, bound to this session and with increasing counters.
/// Runs under the connection lock, so it keeps its own key handles: a signer copied from the
/// client's identity (which other sessions may share) and the server's key imported once.
/// </summary>
internal sealed class ClientMessageSignatures : IDisposable
{
    private readonly RSA? _signer;
    private readonly byte[] _ownSpki;
    private readonly RSA _serverKey;
    private readonly MessageSignatureReceiver _receiver;
    private readonly TimeProvider _time;
    private ulong _counter;

    private ClientMessageSignatures(RSA? signer, byte[] ownSpki, RSA serverKey, MessageSignatureReceiver receiver, TimeProvider time, int blockLength)
    {
        _signer = signer;
        _ownSpki = ownSpki;
        _serverKey = serverKey;
        _receiver = receiver;
        _time = time;
        BlockLength = blockLength;
    }

    /// <summary>Bytes the signature block adds to each request (0 when requests go unsigned).</summary>
    public int BlockLength { get; }

    /// <summary>Whether requests are signed: only when the client proved its key in the handshake.</summary>
    public bool SignsRequests => _signer is not null;

    /// <param name="identity">The client's key if it proved it in the handshake; null: requests go unsigned, replies are still checked.</param>
    /// <param name="server">The server's verified identity.</param>
    /// <param name="room">The session id in lower-case hex.</param>
    /// <param name="time">The clock written into each block.</param>
    public static ClientMessageSignatures Create(LocalIdentity? identity, PeerIdentity server, string room, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(server);

        // The handshake already held this key to the policy, so a refusal here is a bug, not the peer's doing.
        var serverKey = RsaKeyPolicy.TryImport(server.Spki.Span, out _)
            ?? throw new InvalidOperationException("the server key passed the handshake but cannot be imported");
        var signer = identity?.CreateSignerHandle();
        return new ClientMessageSignatures(
            signer,
            identity?.Spki.ToArray() ?? [],
            serverKey,
            new MessageSignatureReceiver(server, room),
            time,
            identity is null ? 0 : MessageSignature.BlockLength(identity.KeySizeBits));
    }

    /// <summary>The signed payload (block ‖ <paramref name="application"/>) of the next request.</summary>
    public byte[] Sign(ReadOnlySpan<byte> application) =>
        MessageSignature.Sign(_signer ?? throw new InvalidOperationException("this client did not prove a key, so it must not sign"), _ownSpki, _receiver.Room, ++_counter, _time.GetUtcNow().ToUnixTimeMilliseconds(), application);

    /// <summary>
    /// Checks a reply or push from the server: null and its application bytes when it passes,
    /// otherwise the failure whose alert ends the session.
    /// </summary>
    public ProtocolFailure? Check(MessageKind kind, ulong id, bool signed, ReadOnlySpan<byte> payload, out byte[] application)
    {
        application = [];
        var what = $"{kind.ToString().ToLowerInvariant()} {id}";
        var failure = _receiver.Admit(signed, payload, what, out var message);
        if (failure is not null)
        {
            return failure;
        }

        if (!MessageSignature.Verify(_serverKey, _receiver.Sender!.Spki.Span, _receiver.Room, message!))
        {
            return MessageSignatureReceiver.BadSignature(what);
        }

        application = message!.Application;
        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _signer?.Dispose();
        _serverKey.Dispose();
    }
}
