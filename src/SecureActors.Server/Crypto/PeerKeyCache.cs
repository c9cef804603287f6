using System.Security.Cryptography;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;

namespace SecureActors.Server.Crypto;

/// <summary>
/// One crypto worker's imported client public keys, by fingerprint. Importing an SPKI and preparing
/// it costs several times one RSA-PSS verification, and a client that authenticates again on each
/// connection, or a signed session that sends many messages, presents the same key, so each worker
/// keeps its imports. The handles are the worker's alone (RSA objects are not documented as safe for
/// concurrent use). Bounded crudely: when full it starts again from empty, which costs one
/// re-import per active client; a key the policy refuses is never kept.
/// </summary>
internal sealed class PeerKeyCache(int capacity) : IPeerKeySource, IDisposable
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
