using System.Security.Cryptography;
using SecureActors.Actors.Actor;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Metrics;

namespace SecureActors.Server.Crypto;

/// <summary>
/// One member of the crypto pool. Stateless between requests; owns its own RSA handle for the
/// server key so no crypto object is shared across threads. A failure loses only the request in
/// hand: the pool restarts this worker, and the requesting session's crypto deadline turns the lost
/// request into a clean handshake failure.
/// </summary>
internal sealed class CryptoWorker : ReceiveActor
{
    private readonly LocalIdentity _identity;
    private readonly ServerMetrics? _metrics;
    private readonly int _faultEvery;
    private RSA? _signer;
    private long _handled;

    public CryptoWorker(LocalIdentity identity, ServerMetrics? metrics, int faultEvery)
    {
        _identity = identity;
        _metrics = metrics;
        _faultEvery = faultEvery;
        Receive<CryptoProtocol.Execute>(OnExecute);
    }

    public static Props Props(LocalIdentity identity, ServerMetrics? metrics, int faultEvery) =>
        Actors.Actor.Props.Create(() => new CryptoWorker(identity, metrics, faultEvery));

    protected override void PreStart() => _signer = _identity.CreateSignerHandle();

    protected override void PostStop()
    {
        _signer?.Dispose();
        _signer = null;
    }

    private void OnExecute(CryptoProtocol.Execute request)
    {
        _metrics?.CryptoStarted();
        if (_faultEvery > 0 && ++_handled % _faultEvery == 0)
        {
            throw new InjectedFaultException($"test fault: crypto worker failed on {request.Operation.Kind} #{request.CorrelationId}");
        }

        var result = request.Operation is SignOperation sign && sign.SignerFingerprint == _identity.Fingerprint
            ? sign.Execute(_signer!)
            : request.Operation.Execute();
        Sender.Tell(new CryptoProtocol.Executed(request.CorrelationId, result), Self);
    }
}
