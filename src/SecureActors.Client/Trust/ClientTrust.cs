using SecureActors.Protocol.Identity;

namespace SecureActors.Client.Trust;

/// <summary>
/// The trust policy a client connects with (a pinned fingerprint, or the protocol library's
/// known_hosts), plus what a refusal needs to name the recorded fingerprint next to the presented one.
/// Evaluations are serialised: known_hosts' look-up and append are separate steps, and thousands of
/// load-client sessions meeting a new server at once must record it once, not once each.
/// </summary>
internal sealed class ClientTrust : IServerTrust
{
    private readonly Lock _gate = new();
    private readonly IServerTrust _policy;
    private readonly KnownHosts? _knownHosts;
    private readonly string? _pinned;
    private readonly string _host;
    private readonly int _port;

    private ClientTrust(IServerTrust policy, KnownHosts? knownHosts, string? pinned, string host, int port)
    {
        _policy = policy;
        _knownHosts = knownHosts;
        _pinned = pinned;
        _host = host;
        _port = port;
    }

    public static ClientTrust For(SecureClientOptions options)
    {
        if (options.ServerFingerprint is { } pinned)
        {
            return new ClientTrust(new PinnedServerTrust(pinned), null, pinned, options.Host, options.Port);
        }

        var store = KnownHosts.Load(SecureClientOptions.ExpandHome(options.KnownHostsPath));
        return new ClientTrust(store.For(options.Host, options.Port, options.KnownHostsMode), store, null, options.Host, options.Port);
    }

    public TrustDecision Evaluate(PeerIdentity serverKey)
    {
        lock (_gate)
        {
            return _policy.Evaluate(serverKey);
        }
    }

    /// <summary>The fingerprint this client expected for the server (pinned or recorded), if any.</summary>
    public string? ExpectedFingerprint() => _pinned ?? _knownHosts?.Find(_host, _port)?.Fingerprint;
}
