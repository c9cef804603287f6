using System.Numerics;
using SecureActors.Protocol.Crypto;

namespace SecureActors.Protocol.Tests.Crypto;

public sealed class KeyShareValidationTests
{
    private static byte[] P256Prime => Convert.FromHexString("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");

    public static TheoryData<string, byte[]> BadP256Shares()
    {
        using var valid = EphemeralKeyPair.Generate(NamedGroup.Secp256r1);
        var good = valid.PublicShare.ToArray();
        var offCurve = (byte[])good.Clone();
        offCurve[^1] ^= 1;
        var compressed = new byte[33];
        compressed[0] = 0x02;
        good.AsSpan(1, 32).CopyTo(compressed.AsSpan(1));
        var hybrid = (byte[])good.Clone();
        hybrid[0] = 0x06;
        var xEqualsP = new byte[65];
        xEqualsP[0] = 4;
        P256Prime.CopyTo(xEqualsP, 1);
        using var p384 = EphemeralKeyPair.Generate(NamedGroup.Secp384r1);
        return new TheoryData<string, byte[]>
        {
            { "off-curve", offCurve },
            { "(0,0)", [4, .. new byte[64]] },
            { "x = p", xEqualsP },
            { "compressed", compressed },
            { "hybrid", hybrid },
            { "infinity", [0x00] },
            { "64 bytes", good[..64] },
            { "66 bytes", [.. good, 0] },
            { "P-384 point labelled P-256", p384.PublicShare.ToArray() },
        };
    }

    [Theory]
    [MemberData(nameof(BadP256Shares))]
    public void EcdhShare_Invalid_IllegalParameter(string what, byte[] share)
    {
        using var own = EphemeralKeyPair.Generate(NamedGroup.Secp256r1);

        var z = own.DeriveSharedSecret(share, out var failure);

        Assert.Null(z);
        Assert.True(failure is not null, what);
        Assert.Equal(AlertDescription.IllegalParameter, failure.Alert);
    }

    [Theory]
    [InlineData(NamedGroup.Secp256r1)]
    [InlineData(NamedGroup.Secp384r1)]
    public void EcdhShare_GeneratedByPlatform_PassesOurCurveEquation(NamedGroup group)
    {
        using var a = EphemeralKeyPair.Generate(group);
        using var b = EphemeralKeyPair.Generate(group);

        var za = a.DeriveSharedSecret(b.PublicShare.Span, out var fa);
        var zb = b.DeriveSharedSecret(a.PublicShare.Span, out var fb);

        Assert.Null(fa);
        Assert.Null(fb);
        Assert.Equal(za, zb);
        Assert.Equal(group == NamedGroup.Secp256r1 ? 32 : 48, za!.Length);
    }

    public static TheoryData<string, byte[]> BadFfdheShares()
    {
        var p = FfdheGroup.Ffdhe2048.P;
        byte[] Fixed(BigInteger v)
        {
            var bytes = new byte[256];
            var raw = v.ToByteArray(isUnsigned: true, isBigEndian: true);
            raw.CopyTo(bytes, 256 - raw.Length);
            return bytes;
        }

        return new TheoryData<string, byte[]>
        {
            { "0", Fixed(0) },
            { "1", Fixed(1) },
            { "p-1", Fixed(p - 1) },
            { "p", Fixed(p) },
            { "all ones", Enumerable.Repeat((byte)0xFF, 256).ToArray() },
            { "short", new byte[255] },
        };
    }

    [Theory]
    [MemberData(nameof(BadFfdheShares))]
    public void FfdheShare_Invalid_IllegalParameter(string what, byte[] share)
    {
        using var own = FfdheKeyPair.FromExponent(FfdheGroup.Ffdhe2048, [0x03]);

        var z = own.DeriveSharedSecret(share, out var failure);

        Assert.Null(z);
        Assert.True(failure is not null, what);
        Assert.Equal(AlertDescription.IllegalParameter, failure.Alert);
    }

    [Fact]
    public void FfdheSharedSecret_WithLeadingZeroBytes_KeptAtFullLengthAndAgrees()
    {
        // Exponents 1 and 2 give Z = 2^2 = 4: almost all leading bytes are zero (brief row 30).
        using var a = FfdheKeyPair.FromExponent(FfdheGroup.Ffdhe2048, [1]);
        using var b = FfdheKeyPair.FromExponent(FfdheGroup.Ffdhe2048, [2]);

        var za = a.DeriveSharedSecret(b.PublicShare.Span, out _)!;
        var zb = b.DeriveSharedSecret(a.PublicShare.Span, out _)!;

        Assert.Equal(256, za.Length);
        Assert.Equal(za, zb);
        Assert.Equal(0, za[0]);
        Assert.Equal(4, za[^1]);
    }

    [Fact]
    public void FfdheGroups_Primes_AreRfc7919SafePrimesWithExpectedEnds()
    {
        foreach (var group in new[] { FfdheGroup.Ffdhe2048, FfdheGroup.Ffdhe3072 })
        {
            var hex = group.P.ToString("X", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0');
            Assert.StartsWith("FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1", hex, StringComparison.Ordinal);
            Assert.EndsWith("FFFFFFFFFFFFFFFF", hex, StringComparison.Ordinal);
            Assert.Equal(group.ByteLength * 8, (int)group.P.GetBitLength());

            // Fermat test on q = (p-1)/2 with base 2: p is a safe prime.
            var q = (group.P - 1) / 2;
            Assert.Equal(BigInteger.One, BigInteger.ModPow(3, q - 1, q));
        }

        Assert.EndsWith("61285C97FFFFFFFFFFFFFFFF", FfdheGroup.Ffdhe2048.P.ToString("X", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.EndsWith("66C62E37FFFFFFFFFFFFFFFF", FfdheGroup.Ffdhe3072.P.ToString("X", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void FfdheExponent_Generated_HasConfiguredBitLength()
    {
        using var pair = FfdheKeyPair.Create(FfdheGroup.Ffdhe2048);

        Assert.Equal(256, pair.PublicShare.Length);
        Assert.True(FfdheGroup.Ffdhe2048.ExponentBits >= 225);
        Assert.True(FfdheGroup.Ffdhe3072.ExponentBits >= 275);
    }
}
