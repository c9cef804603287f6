using System.Numerics;
using System.Security.Cryptography;

namespace SecureActors.Protocol.Crypto;

/// <summary>
/// RFC 7919 finite-field DHE with <see cref="BigInteger"/>. Short private exponents as RFC 7919
/// §5.2 allows; the public value check 2 ≤ y ≤ p−2 (§5.1); Z = y^x mod p, rejected if 1 and always
/// left-padded to |p| bytes (RFC 8446 §7.4.1; the Raccoon attack needs variable-length Z).
/// </summary>
/// <remarks>
/// <see cref="BigInteger.ModPow"/> is not constant-time and its temporaries cannot be zeroed: the
/// exponent is single-use, which limits the exposure, and this is why FFDHE is off by default.
/// </remarks>
internal sealed class FfdheKeyPair : EphemeralKeyPair
{
    private readonly FfdheGroup _group;
    private readonly byte[] _exponent;
    private readonly byte[] _share;

    private FfdheKeyPair(FfdheGroup group, byte[] exponent, byte[] share)
    {
        _group = group;
        _exponent = exponent;
        _share = share;
    }

    public override NamedGroup Group => _group.Name;

    public override ReadOnlyMemory<byte> PublicShare => _share;

    public static FfdheKeyPair Create(FfdheGroup group) => FromExponent(group, RandomExponent(group.ExponentBits));

    /// <summary>Builds a pair from a given exponent (known-answer tests only).</summary>
    internal static FfdheKeyPair FromExponent(FfdheGroup group, byte[] exponentBigEndian)
    {
        var x = new BigInteger(exponentBigEndian, isUnsigned: true, isBigEndian: true);
        var y = BigInteger.ModPow(FfdheGroup.G, x, group.P);
        return new FfdheKeyPair(group, exponentBigEndian, ToFixedLength(y, group.ByteLength));
    }

    public static ProtocolFailure? CheckShape(FfdheGroup group, ReadOnlySpan<byte> share)
    {
        if (share.Length != group.ByteLength)
        {
            return new ProtocolFailure(AlertDescription.IllegalParameter, $"{group.Name} share has {share.Length} bytes, expected {group.ByteLength}");
        }

        var y = new BigInteger(share, isUnsigned: true, isBigEndian: true);
        return y < 2 || y > group.P - 2
            ? new ProtocolFailure(AlertDescription.IllegalParameter, $"{group.Name} share outside [2, p-2]")
            : null;
    }

    internal override byte[]? DeriveSharedSecret(ReadOnlySpan<byte> peerShare, out ProtocolFailure? failure)
    {
        failure = CheckShape(_group, peerShare);
        if (failure is not null)
        {
            return null;
        }

        var y = new BigInteger(peerShare, isUnsigned: true, isBigEndian: true);
        var x = new BigInteger(_exponent, isUnsigned: true, isBigEndian: true);
        var z = BigInteger.ModPow(y, x, _group.P);
        if (z.IsOne)
        {
            failure = new ProtocolFailure(AlertDescription.IllegalParameter, "shared secret is 1");
            return null;
        }

        return ToFixedLength(z, _group.ByteLength);
    }

    protected override void Dispose(bool disposing) => CryptographicOperations.ZeroMemory(_exponent);

    private static byte[] RandomExponent(int bits)
    {
        var exponent = RandomNumberGenerator.GetBytes(bits / 8);
        exponent[0] |= 0x80; // exactly `bits` bits, so the exponent is never short by chance.
        return exponent;
    }

    private static byte[] ToFixedLength(BigInteger value, int length)
    {
        var result = new byte[length];
        var written = value.GetByteCount(isUnsigned: true);
        if (!value.TryWriteBytes(result.AsSpan(length - written), out _, isUnsigned: true, isBigEndian: true))
        {
            throw new InvalidOperationException("value longer than the group");
        }

        return result;
    }
}
