using System.Numerics;
using System.Security.Cryptography;

namespace SecureActors.Protocol.Crypto;

/// <summary>
/// ECDHE over P-256/P-384 with explicit share validation (SP 800-56A §5.6.2.3.4): uncompressed
/// encoding <c>0x04 ‖ X ‖ Y</c> of exactly 1 + 2·|p| bytes, x and y below p, on the curve. The
/// curves have cofactor 1, so this partial check is a full one. The OpenSSL back-end also refuses
/// off-curve points, but other back-ends differ, so the check is ours.
/// </summary>
internal sealed class EcdhKeyPair : EphemeralKeyPair
{
    private readonly ECDiffieHellman _key;
    private readonly byte[] _share;

    private EcdhKeyPair(NamedGroup group, ECDiffieHellman key, byte[] share)
    {
        Group = group;
        _key = key;
        _share = share;
    }

    public override NamedGroup Group { get; }

    public override ReadOnlyMemory<byte> PublicShare => _share;

    public static EcdhKeyPair Create(NamedGroup group)
    {
        var curve = CurveOf(group);
        var key = ECDiffieHellman.Create(curve.Curve);
        var parameters = key.ExportParameters(false);
        var share = Encode(parameters.Q, curve.FieldLength);
        return new EcdhKeyPair(group, key, share);
    }

    /// <summary>A pair from a known private scalar (test vectors only).</summary>
    internal static EcdhKeyPair FromPrivate(NamedGroup group, ReadOnlySpan<byte> d)
    {
        var curve = CurveOf(group);
        var scalar = new byte[curve.FieldLength];
        var trimmed = d.Length > curve.FieldLength ? d[^curve.FieldLength..] : d;
        trimmed.CopyTo(scalar.AsSpan(curve.FieldLength - trimmed.Length));
        var key = ECDiffieHellman.Create(new ECParameters { Curve = curve.Curve, D = scalar });
        return new EcdhKeyPair(group, key, Encode(key.ExportParameters(false).Q, curve.FieldLength));
    }

    public static ProtocolFailure? CheckShape(NamedGroup group, ReadOnlySpan<byte> share)
    {
        var curve = CurveOf(group);
        if (share.Length != 1 + (2 * curve.FieldLength))
        {
            return new ProtocolFailure(AlertDescription.IllegalParameter, $"{group} share has {share.Length} bytes, expected {1 + (2 * curve.FieldLength)}");
        }

        if (share[0] != 0x04)
        {
            return new ProtocolFailure(AlertDescription.IllegalParameter, $"{group} share is not an uncompressed point (prefix 0x{share[0]:x2})");
        }

        var x = new BigInteger(share.Slice(1, curve.FieldLength), isUnsigned: true, isBigEndian: true);
        var y = new BigInteger(share.Slice(1 + curve.FieldLength, curve.FieldLength), isUnsigned: true, isBigEndian: true);
        if (x >= curve.P || y >= curve.P)
        {
            return new ProtocolFailure(AlertDescription.IllegalParameter, $"{group} share coordinate not below p");
        }

        // y² = x³ − 3x + b (mod p). (0,0) and every off-curve point fail here.
        var left = BigInteger.ModPow(y, 2, curve.P);
        var right = (BigInteger.ModPow(x, 3, curve.P) - (3 * x) + curve.B) % curve.P;
        if (right.Sign < 0)
        {
            right += curve.P;
        }

        return left == right ? null : new ProtocolFailure(AlertDescription.IllegalParameter, $"{group} share is not on the curve");
    }

    internal override byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerShare, out ProtocolFailure? failure)
    {
        failure = CheckShape(Group, peerShare);
        if (failure is not null)
        {
            return null;
        }

        var curve = CurveOf(Group);
        var parameters = new ECParameters
        {
            Curve = curve.Curve,
            Q = new ECPoint
            {
                X = peerShare.Slice(1, curve.FieldLength).ToArray(),
                Y = peerShare.Slice(1 + curve.FieldLength, curve.FieldLength).ToArray(),
            },
        };

        byte[] z;
        try
        {
            using var peer = ECDiffieHellman.Create(parameters);
            // Each PublicKey read makes a new object owning a native handle; dispose it rather than leave it to the finalizer.
            using var peerPublic = peer.PublicKey;
            z = _key.DeriveRawSecretAgreement(peerPublic);
        }
        catch (CryptographicException)
        {
            failure = new ProtocolFailure(AlertDescription.IllegalParameter, $"{Group} share rejected by the platform");
            return null;
        }

        // No "all-zero Z" check: Z is the x-coordinate, and x = 0 is a legitimate point (Wycheproof
        // ecpoint tcId 3). The point at infinity cannot result from a validated share on a
        // prime-order curve, and the platform refuses it anyway (the catch above).
        return z;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
        }
    }

    private static CurveInfo CurveOf(NamedGroup group) => group switch
    {
        NamedGroup.Secp256r1 => CurveInfo.P256,
        NamedGroup.Secp384r1 => CurveInfo.P384,
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "not an elliptic curve group"),
    };

    private static byte[] Encode(ECPoint q, int fieldLength)
    {
        // 0x04 ‖ X (fieldLength, left-padded) ‖ Y (fieldLength, left-padded)
        var share = new byte[1 + (2 * fieldLength)];
        share[0] = 0x04;
        q.X!.CopyTo(share.AsSpan(1 + fieldLength - q.X!.Length));
        q.Y!.CopyTo(share.AsSpan(1 + (2 * fieldLength) - q.Y!.Length));
        return share;
    }

    private sealed class CurveInfo
    {
        public static readonly CurveInfo P256 = new(
            ECCurve.NamedCurves.nistP256,
            32,
            "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
            "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");

        public static readonly CurveInfo P384 = new(
            ECCurve.NamedCurves.nistP384,
            48,
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
            "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef");

        private CurveInfo(ECCurve curve, int fieldLength, string pHex, string bHex)
        {
            Curve = curve;
            FieldLength = fieldLength;
            P = new BigInteger(Convert.FromHexString(pHex), isUnsigned: true, isBigEndian: true);
            B = new BigInteger(Convert.FromHexString(bHex), isUnsigned: true, isBigEndian: true);
        }

        public ECCurve Curve { get; }

        public int FieldLength { get; }

        public BigInteger P { get; }

        public BigInteger B { get; }
    }
}
