using System.Security.Cryptography;
using SecureActors.Protocol.Identity;

namespace SecureActors.Protocol.Crypto;

/// <summary>
/// Imported peer public keys, by fingerprint, for one thread of execution (a server crypto worker, a
/// client thread). Importing an SPKI and preparing it costs several times one RSA-PSS verification,
/// and the same keys come back: a client that authenticates again on each connection, a signed
/// session that sends many messages, a client that reconnects to the same server. The handles are the
/// owner's alone (RSA objects are not documented as safe for concurrent use). Bounded crudely: when
/// full it starts again from empty, which costs one re-import per active peer; a key the policy
/// refuses is never kept.
/// </summary>
public sealed class PeerKeyCache(int capacity) : IPeerKeySource, IDisposable
{
    private readonly Dictionary<string, RSA> _keys = new(StringComparer.Ordinal);

    /// <summary>Keys currently held.</summary>
    public int Count => _keys.Count;

    /// <summary>The imported key of <paramref name="peer"/>; null if its SPKI does not pass the key policy.</summary>
    public RSA? Get(PeerIdentity peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return Get(peer.Fingerprint, peer.Spki.Span, out _);
    }

    /// <inheritdoc />
    public RSA? KeyFor(ReadOnlySpan<byte> spki, out ProtocolFailure? failure) => Get(Fingerprint.Of(spki), spki, out failure);

    /// <inheritdoc />
    public void Dispose() => Clear();

    private RSA? Get(string fingerprint, ReadOnlySpan<byte> spki, out ProtocolFailure? failure)
    {
        failure = null;
        if (_keys.TryGetValue(fingerprint, out var key))
        {
            return key;
        }

        key = RsaKeyPolicy.TryImport(spki, out failure);
        if (key is null)
        {
            return null;
        }

        if (_keys.Count >= capacity)
        {
            Clear();
        }

        _keys[fingerprint] = key;
        return key;
    }

    private void Clear()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
    }
}
