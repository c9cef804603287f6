using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecureActors.Protocol.Crypto;

/// <summary>
/// The running transcript hash TH. The hash function is fixed by the suite, which is only known
/// once the server has chosen; until then the messages are kept verbatim. After a
/// HelloRetryRequest, ClientHello1 is replaced by the synthetic message
/// <c>0xFE ‖ u16 H ‖ Hash(ClientHello1)</c> (RFC 8446 §4.4.1), keeping the prologue in front.
/// </summary>
internal sealed class Transcript : IDisposable
{
    public const byte MessageHashType = 0xFE;

    private readonly List<byte[]> _pending = [];
    private IncrementalHash? _hash;
    private HashAlgorithmName _algorithm;

    public bool HasHash => _hash is not null;

    public int HashLength { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_hash is null)
        {
            _pending.Add(bytes.ToArray());
        }
        else
        {
            _hash.AppendData(bytes);
        }
    }

    /// <summary>Fixes the hash function and hashes everything appended so far.</summary>
    public void Start(HashAlgorithmName algorithm, int hashLength)
    {
        if (_hash is not null)
        {
            return;
        }

        _algorithm = algorithm;
        HashLength = hashLength;
        _hash = IncrementalHash.CreateHash(algorithm);
        foreach (var chunk in _pending)
        {
            _hash.AppendData(chunk);
        }

        _pending.Clear();
    }

    /// <summary>
    /// HRR rewrite: expects exactly [prologue, ClientHello1] pending and replaces ClientHello1 by its
    /// message_hash, then starts hashing.
    /// </summary>
    public void StartWithMessageHash(HashAlgorithmName algorithm, int hashLength)
    {
        if (_hash is not null || _pending.Count != 2)
        {
            throw new InvalidOperationException("message_hash applies to prologue ‖ ClientHello1 only");
        }

        var clientHello1 = _pending[1];
        _pending.RemoveAt(1);
        Span<byte> synthetic = stackalloc byte[3 + hashLength];
        synthetic[0] = MessageHashType;
        BinaryPrimitives.WriteUInt16BigEndian(synthetic[1..], (ushort)hashLength);
        CryptographicOperations.HashData(algorithm, clientHello1, synthetic[3..]);
        Start(algorithm, hashLength);
        _hash!.AppendData(synthetic);
    }

    public byte[] CurrentHash()
    {
        if (_hash is null)
        {
            throw new InvalidOperationException("transcript hash not started");
        }

        return _hash.GetCurrentHash();
    }

    public HashAlgorithmName Algorithm => _algorithm;

    public void Dispose() => _hash?.Dispose();
}
