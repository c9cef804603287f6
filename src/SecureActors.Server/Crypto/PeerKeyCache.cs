using System.Security.Cryptography;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Identity;

namespace SecureActors.Server.Crypto;

/// <summary>
/// One crypto worker's imported client public keys, by fingerprint. Importing an SPKI and preparing
/// it costs several times one RSA-PSS verification, and a signed session sends many messages with
/// one key, so each worker keeps its imports. The handles are the worker's alone (RSA objects are not
/// documented as safe for concurrent use). Bounded crudely: when full it starts again from empty,
/// which costs one re-import per active client.
/// </summary>
internal sealed class PeerKeyCache(int capacity) : IDisposable
{
    private readonly Dictionary<string, RSA> _keys = new(StringComparer.Ordinal);

    /// <summary>Keys currently held.</summary>
    public int Count => _keys.Count;

    /// <summary>The imported key of <paramref name="peer"/>; null if its SPKI does not pass the key policy.</summary>
    public RSA? Get(PeerIdentity peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (_keys.TryGetValue(peer.Fingerprint, out var key))
        {
            return key;
        }

        key = RsaKeyPolicy.TryImport(peer.Spki.Span, out _);
        if (key is null)
        {
            return null;
        }

        if (_keys.Count >= capacity)
        {
            Clear();
        }

        _keys[peer.Fingerprint] = key;
        return key;
    }

    /// <inheritdoc />
    public void Dispose() => Clear();

    private void Clear()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
    }
}
