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

    [Benchmark(Description = "ServerHandshake: ClientHello → flight")]
    public int Server()
    {
        using var server = new ServerHandshake(_options, _identity!);
        var frame = SecureActors.Protocol.Framing.Frame.Create(SecureActors.Protocol.Framing.RecordType.Handshake, _clientHelloRecord.AsMemory(3));
        var step = server.RunInline(server.Feed(frame));
        return step.Output.Length;
    }

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
