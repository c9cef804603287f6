using System.Security.Cryptography;
using SecureActors.Actors.Actor;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using SecureActors.Server.Metrics;

namespace SecureActors.Server.Crypto;

/// <summary>
/// One member of the crypto pool. Stateless between requests apart from caches of key handles: it
/// owns its own RSA handle for the server key and its own imported client keys (for the handshake's
/// client signature and for signed messages alike), so no crypto object is shared across threads. A
/// failure loses only the request in hand: the pool restarts this worker, and the requesting
/// session's crypto deadline turns the lost request into a clean failure.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor releases what it owns in PostStop (its key handles), not through IDisposable.")]
internal sealed class CryptoWorker : ReceiveActor
{
    // Distinct client keys (authenticating or signing) a worker keeps imported before it starts again from empty.
    private const int PeerKeyCapacity = 1024;

    private readonly LocalIdentity _identity;
    private readonly ServerMetrics? _metrics;
    private readonly int _faultEvery;
    private RSA? _signer;
    private PeerKeyCache? _peerKeys;
    private long _handled;

    public CryptoWorker(LocalIdentity identity, ServerMetrics? metrics, int faultEvery)
    {
        _identity = identity;
        _metrics = metrics;
        _faultEvery = faultEvery;
        Receive<CryptoProtocol.Execute>(OnExecute);
        Receive<CryptoProtocol.SignMessage>(OnSignMessage);
        Receive<CryptoProtocol.VerifyMessage>(OnVerifyMessage);
    }

    public static Props Props(LocalIdentity identity, ServerMetrics? metrics, int faultEvery) =>
        Actors.Actor.Props.Create(() => new CryptoWorker(identity, metrics, faultEvery));

    protected override void PreStart()
    {
        _signer = _identity.CreateSignerHandle();
        _peerKeys = new PeerKeyCache(PeerKeyCapacity);
    }

    protected override void PostStop()
    {
        _signer?.Dispose();
        _signer = null;
        _peerKeys?.Dispose();
        _peerKeys = null;
    }

    private void OnExecute(CryptoProtocol.Execute request)
    {
        Started(request.Operation.Kind.ToString(), request.CorrelationId);
        var result = request.Operation switch
        {
            IdentitySignatureOperation sign when sign.SignerFingerprint == _identity.Fingerprint => sign.Execute(_signer!),
            VerifyOperation verify => verify.Execute(_peerKeys!),
            var operation => operation.Execute(),
        };
        Sender.Tell(new CryptoProtocol.Executed(request.CorrelationId, result), Self);
    }

    private void OnSignMessage(CryptoProtocol.SignMessage request)
    {
        Started("message signature", request.CorrelationId);
        object reply;
        try
        {
            var payload = MessageSignature.Sign(_signer!, _identity.Spki.Span, request.Room, request.Counter, request.UnixMilliseconds, request.Application.Span);
            reply = new CryptoProtocol.MessageSigned(request.CorrelationId, payload);
        }
        catch (CryptographicException ex)
        {
            // A platform fault is local; the reason names the exception type only, never key material.
            reply = new CryptoProtocol.MessageCryptoFailed(request.CorrelationId, $"signing failed: {ex.GetType().Name}");
        }

        Sender.Tell(reply, Self);
    }

    private void OnVerifyMessage(CryptoProtocol.VerifyMessage request)
    {
        Started("message verification", request.CorrelationId);
        object reply;
        try
        {
            // The session admitted this key in the handshake, so a key the policy refuses cannot
            // arrive here; if one did, nothing signed by it can be accepted.
            var key = _peerKeys!.Get(request.Sender);
            var valid = key is not null && MessageSignature.Verify(key, request.Sender.Spki.Span, request.Room, request.Message);
            reply = new CryptoProtocol.MessageVerified(request.CorrelationId, valid);
        }
        catch (CryptographicException ex)
        {
            reply = new CryptoProtocol.MessageCryptoFailed(request.CorrelationId, $"verification failed: {ex.GetType().Name}");
        }

        Sender.Tell(reply, Self);
    }

    private void Started(string what, long correlationId)
    {
        _metrics?.CryptoStarted();
        if (_faultEvery > 0 && ++_handled % _faultEvery == 0)
        {
            throw new InjectedFaultException($"test fault: crypto worker failed on {what} #{correlationId}");
        }
    }
}
