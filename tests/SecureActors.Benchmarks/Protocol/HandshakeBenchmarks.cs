using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Identity;

namespace SecureActors.Benchmarks.Protocol;

/// <summary>
/// Server-side CPU per handshake for each group and key size: processing one ClientHello through
/// keygen, DH derive, transcript signing and the sealed flight (the client Finished check is one
/// HMAC). Baseline: the same three primitives called bare on the BCL (target ≤ 1.10×).
/// </summary>
/// <remarks>
/// The baseline is keygen and export of our share, import of the peer's point, derive, and one
/// RSA-PSS signature over content of the real length. Everything else the server does is what
/// the ratio measures: decoding and negotiating the ClientHello, share validation, the transcript
/// hash, the key schedule (about 15 HKDF-Expand and 3 Extract calls), the Finished HMAC, three
/// traffic keys and the sealed flight.
/// <para>
/// A second baseline, <see cref="BareWithProtocolPrimitives"/>, adds those BCL calls too, made bare
/// with the same counts and sizes: the SHA-256 transcript, the HKDF calls, the Finished HMAC, three
/// AES-GCM contexts, the flight's seal and the server random. Against it the ratio is what our own
/// code costs (parsing, validation, encoding, state), the way the record benchmarks measure the
/// record layer against a record-shaped bare baseline; against <see cref="Bare"/> it also counts
/// the primitives the protocol adds. PERFORMANCE.md reports both.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class HandshakeBenchmarks
{
    private LocalIdentity? _identity;
    private RSA? _rawKey;
    private byte[] _clientHelloRecord = [];
    private byte[] _clientShare = [];
    private ProtocolOptions _options = ProtocolOptions.Default;
    private readonly byte[] _toSign = new byte[64 + 34 + 32];

    [Params(NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Ffdhe2048)]
    public NamedGroup Group { get; set; }

    [Params(2048, 3072)]
    public int KeyBits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _identity = LocalIdentity.Generate(KeyBits);
        _rawKey = _identity.CreateSignerHandle();
        _options = ProtocolOptions.Default with { Groups = [Group], KeyShareGroups = [Group] };
        using var client = new ClientHandshake(_options, new PinnedServerTrust(_identity.Fingerprint));
        var step = client.RunInline(client.Start());
        _clientHelloRecord = step.Output.ToArray().AsSpan(8).ToArray();
        // The bare baseline derives against an equivalent peer share of its own.
        using var peer = EphemeralKeyPair.Generate(Group);
        _clientShare = peer.PublicShare.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _identity?.Dispose();
        _rawKey?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "bare keygen + derive + RSA-PSS sign")]
    public int Bare()
    {
        var z = KeygenAndDerive();
        var signature = _rawKey!.SignData(_toSign, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return z.Length + signature.Length;
    }

    [Benchmark(Description = "bare + transcript, HKDF, HMAC, AEAD, random")]
    public int BareWithProtocolPrimitives() => Bare() + ProtocolPrimitives();

    [Benchmark(Description = "ServerHandshake: ClientHello → flight")]
    public int Server()
    {
        using var server = new ServerHandshake(_options, _identity!);
        var frame = SecureActors.Protocol.Framing.Frame.Create(SecureActors.Protocol.Framing.RecordType.Handshake, _clientHelloRecord.AsMemory(3));
        var step = server.RunInline(server.Feed(frame));
        return step.Output.Length;
    }

    /// <summary>The BCL calls the server's flight needs besides keygen, derive and sign, made bare (AES-128-GCM-SHA256).</summary>
    private int ProtocolPrimitives()
    {
        Span<byte> secret = stackalloc byte[32];
        Span<byte> salt = stackalloc byte[32];
        Span<byte> hash = stackalloc byte[32];
        Span<byte> key = stackalloc byte[16];
        Span<byte> iv = stackalloc byte[12];
        Span<byte> info = stackalloc byte[2 + 1 + 18 + 1 + 32];
        var serverRandom = RandomNumberGenerator.GetBytes(32);

        // Transcript: prologue and ClientHello, ServerHello, then the protected flight, hashed as it grows.
        using var transcript = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        transcript.AppendData(_clientHelloRecord);
        transcript.AppendData(_flight.AsSpan(0, 100));
        transcript.GetCurrentHash(hash);

        // Key schedule: 3 Extract and 15 Expand calls (early, derived, handshake, c/s hs, finished,
        // derived, master, c/s ap, exporter, session id, and key + iv for three traffic secrets).
        HKDF.Extract(HashAlgorithmName.SHA256, salt, salt, secret);
        for (var i = 0; i < 3; i++)
        {
            HKDF.Expand(HashAlgorithmName.SHA256, secret, salt, info);
        }

        HKDF.Extract(HashAlgorithmName.SHA256, secret, salt, secret);
        transcript.AppendData(_flight.AsSpan(100, 320));
        transcript.GetCurrentHash(hash);
        transcript.AppendData(_flight.AsSpan(420, 260));
        transcript.GetCurrentHash(hash);
        HKDF.Expand(HashAlgorithmName.SHA256, secret, key, info);
        HMACSHA256.HashData(salt, hash, hash);
        transcript.AppendData(_flight.AsSpan(680, 36));
        transcript.GetCurrentHash(hash);
        HKDF.Extract(HashAlgorithmName.SHA256, secret, salt, secret);
        for (var i = 0; i < 5; i++)
        {
            HKDF.Expand(HashAlgorithmName.SHA256, secret, salt, info);
        }

        var sealedBytes = 0;
        for (var i = 0; i < 3; i++)
        {
            HKDF.Expand(HashAlgorithmName.SHA256, secret, key, info);
            HKDF.Expand(HashAlgorithmName.SHA256, secret, iv, info);
            using var aead = new AesGcm(key, 16);
            if (i == 0)
            {
                // The protected flight: ServerParams, Identity, Signature, Finished in one record.
                aead.Encrypt(iv, _flight.AsSpan(100), _sealedFlight.AsSpan(0, _flight.Length - 100), _tag, _flight.AsSpan(0, 3));
                sealedBytes = _flight.Length - 100;
            }
        }

        return serverRandom.Length + sealedBytes + hash[0];
    }

    private readonly byte[] _flight = new byte[720];
    private readonly byte[] _sealedFlight = new byte[720];
    private readonly byte[] _tag = new byte[16];

    private byte[] KeygenAndDerive()
    {
        if (Group is NamedGroup.Secp256r1 or NamedGroup.Secp384r1)
        {
            // Keygen, export our share, import the peer point, derive: what the server must do.
            var size = Group == NamedGroup.Secp256r1 ? 32 : 48;
            var curve = Group == NamedGroup.Secp256r1 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384;
            using var mine = ECDiffieHellman.Create(curve);
            _ = mine.ExportParameters(false);
            using var peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = curve,
                Q = new ECPoint { X = _clientShare.AsSpan(1, size).ToArray(), Y = _clientShare.AsSpan(1 + size, size).ToArray() },
            });
            // Disposed as EcdhKeyPair does: each PublicKey read owns a native handle.
            using var peerPublic = peer.PublicKey;
            return mine.DeriveRawSecretAgreement(peerPublic);
        }

        // FFDHE-2048 with a 256-bit exponent: two modexps.
        var p = FfdheGroup.Ffdhe2048.P;
        var x = new System.Numerics.BigInteger(RandomNumberGenerator.GetBytes(32), isUnsigned: true, isBigEndian: true);
        _ = System.Numerics.BigInteger.ModPow(2, x, p);
        var y = new System.Numerics.BigInteger(_clientShare, isUnsigned: true, isBigEndian: true);
        return System.Numerics.BigInteger.ModPow(y, x, p).ToByteArray(isUnsigned: true, isBigEndian: true);
    }
}
