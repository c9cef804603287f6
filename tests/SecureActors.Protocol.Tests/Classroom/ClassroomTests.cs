using System.Diagnostics;
using SecureActors.Protocol.Classroom;

namespace SecureActors.Protocol.Tests.Classroom;

public sealed class ClassroomTests
{
    private static ProtocolOptions Enabled(List<string> warnings) =>
        ProtocolOptions.Default with { EnableClassroom = true, SecurityWarning = warnings.Add };

    [Fact]
    public void BruteForce_SixteenBitDhSecret_RecoveredWellUnderASecond()
    {
        var secret = ClassroomDh.GenerateSecret();
        var publicValue = ClassroomDh.PublicValue(secret);
        var stopwatch = Stopwatch.StartNew();

        var found = ClassroomDh.BruteForce(publicValue);

        stopwatch.Stop();
        Assert.Equal(publicValue, ClassroomDh.PublicValue(found));
        Assert.True(stopwatch.ElapsedMilliseconds < 250, $"took {stopwatch.ElapsedMilliseconds} ms");
        var peer = ClassroomDh.GenerateSecret();
        Assert.Equal(ClassroomDh.SharedSecret(ClassroomDh.PublicValue(peer), secret), ClassroomDh.SharedSecret(ClassroomDh.PublicValue(peer), found));
    }

    [Fact]
    public void Factor_NineBitPrimeModulus_RecoversPrivateKey()
    {
        var key = ClassroomRsa.Generate();

        var (p, q) = ClassroomRsa.Factor(key.N);
        var rebuilt = ClassroomRsa.FromPrimes(p, q);

        Assert.True(key.N < 1 << 18);
        Assert.Equal(key.Sign(1234 % key.N), rebuilt.Sign(1234 % key.N));
    }

    [Fact]
    public void TextbookRsa_Signatures_AreMalleable()
    {
        var key = ClassroomRsa.FromPrimes(499, 503);
        var a = 17;
        var b = 23;

        var forged = (int)((long)key.Sign(a) * key.Sign(b) % key.N);

        Assert.True(key.Verify(a * b, forged));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void TextbookRsa_SignatureOutsideZeroToN_RefusedEvenWhenItIsTheRightOneModN(int shift)
    {
        var key = ClassroomRsa.FromPrimes(499, 503);
        var signature = key.Sign(1234);

        Assert.True(key.Verify(1234, signature));
        Assert.False(key.Verify(1234, signature + (shift * key.N)));
    }

    [Fact]
    public void Mac_SixteenBitHash_SecondPreimageFoundQuickly()
    {
        var key = ClassroomRsa.FromPrimes(499, 503);
        var original = "PAY 10 EUR"u8.ToArray();
        var tag = ClassroomMac.Compute(key, original);
        byte[]? forgery = null;
        for (var i = 0; i < 1 << 20 && forgery is null; i++)
        {
            var candidate = System.Text.Encoding.ASCII.GetBytes($"PAY 9999 EUR #{i}");
            if (ClassroomMac.Hash16(candidate) == ClassroomMac.Hash16(original))
            {
                forgery = candidate;
            }
        }

        Assert.NotNull(forgery);
        Assert.True(ClassroomMac.Verify(key, forgery, tag));
    }

    [Fact]
    public void Cipher_KnownPlaintext_RevealsKeyAndEcbLeaks()
    {
        var cipher = new ClassroomCipher(0xDEADBEEF);
        var ciphertext = cipher.Encrypt("ABCDABCD"u8);

        Assert.Equal("ABCDABCD"u8.ToArray(), cipher.Decrypt(ciphertext));
        Assert.Equal(ciphertext[..4], ciphertext[4..8]);
    }

    [Fact]
    public void Session_EveryUse_RaisesWarningAndRoundTrips()
    {
        var warnings = new List<string>();
        var alice = ClassroomSuite.Begin(Enabled(warnings));
        var bob = ClassroomSuite.Begin(Enabled(warnings));
        alice.Agree(bob.PublicValue);
        bob.Agree(alice.PublicValue);

        var (ciphertext, tag) = alice.Seal("hi"u8);
        var plain = bob.Open(ciphertext, tag, alice.Key);

        Assert.Equal("hi"u8.ToArray(), plain);
        Assert.Equal(4, warnings.Count);
        Assert.All(warnings, w => Assert.StartsWith("INSECURE", w, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    public void IsNegotiable_OnlyWhenBothSidesEnable(bool client, bool server, bool expected)
    {
        Assert.Equal(expected, ClassroomSuite.IsNegotiable(
            ProtocolOptions.Default with { EnableClassroom = client },
            ProtocolOptions.Default with { EnableClassroom = server }));
    }

    [Fact]
    public void Begin_Disabled_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => ClassroomSuite.Begin(ProtocolOptions.Default));
        Assert.False(ProtocolOptions.Default.EnableClassroom);
    }
}
