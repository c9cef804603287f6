using System.Buffers.Binary;
using SecureActors.Protocol.Classroom;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Classroom;

public sealed class ClassroomKnownAnswerTests
{
    private static Dictionary<string, string> Published() =>
        ProtocolDoc.KnownAnswerBlock("Classroom").Select(l => l.Split(" = ", 2)).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void ClassroomRecords_FixedInputs_MatchVectorsInProtocolMd()
    {
        var printed = ProtocolDoc.KnownAnswerBlock("Classroom");

        var computed = ClassroomKnownAnswerVectors.Compute();

        Assert.Equal(computed, printed);
    }

    [Fact]
    public void SBox_Published_IsAPermutationMatchingTheLcgRecipe()
    {
        // Rebuilt from the §13 recipe alone, independently of the implementation's table.
        var box = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        uint state = 0x5EED;
        for (var i = 255; i > 0; i--)
        {
            state = (state * 1103515245) + 12345;
            var j = (int)((state >> 16) % (uint)(i + 1));
            (box[i], box[j]) = (box[j], box[i]);
        }

        var published = Convert.FromHexString(string.Concat(Published().Where(p => p.Key.StartsWith("S-box", StringComparison.Ordinal)).Select(p => p.Value)));

        Assert.Equal(box, published);
        Assert.Equal(256, published.Distinct().Count());
    }

    [Fact]
    public void Block_PublishedSteps_ComposeToTheCiphertextAndDecryptBack()
    {
        var v = Published();
        uint Word(string name) => Convert.ToUInt32(v[name], 16);
        var cipher = new ClassroomCipher(Word("block K"));

        var composed = uint.RotateLeft(ClassroomKnownAnswerVectors.SubstituteBytes(Word("block b") ^ Word("block K")), 3) ^ Word("block K");

        Assert.Equal(Word("block rotl32(S(b XOR K), 3)") ^ Word("block K"), composed);
        Assert.Equal(Word("block c"), composed);
        Assert.Equal(Word("block b"), cipher.DecryptBlock(Word("block c")));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("abc")]
    public void Record_Published_IsBlocksThenPadBlocksThenMacAndOpens(string text)
    {
        var v = Published();
        var record = Convert.FromHexString(v[$"\"{text}\": record seq 0"]);
        var plaintext = Convert.FromHexString(v[$"\"{text}\": P"]);
        var pad = int.Parse(v[$"\"{text}\": pad"], System.Globalization.CultureInfo.InvariantCulture);
        var n = plaintext.Length;
        var cipher = new ClassroomCipher(Convert.ToUInt32(v["record K"], 16));
        var tag = record.AsSpan(3 + n, 16);
        // §13: record body = blocks[0..n) ‖ blocks[n..n+pad) ‖ 0x00 × (12 − pad) ‖ u32 mac.
        byte[] blocks = [.. record.AsSpan(3, n), .. tag[..pad]];

        Assert.Equal(cipher.Encrypt(plaintext), blocks);
        Assert.True(tag[pad..12].IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal(Convert.ToUInt32(v[$"\"{text}\": mac"], 16), BinaryPrimitives.ReadUInt32BigEndian(tag[12..]));
        using var opener = RecordOpener.Create(CipherSuite.Classroom, ClassroomKnownAnswerVectors.TrafficSecret(), securityWarning: null);
        Assert.True(opener.TryOpen(record, out var inner, out var length, out _));
        Assert.Equal(ContentType.ApplicationData, inner);
        Assert.Equal(text, System.Text.Encoding.ASCII.GetString(record, 3, length));
    }

    [Fact]
    public void Record_Published_SequenceNumberDoesNotChangeTheBytes()
    {
        // The classroom record ignores the nonce: the same content sealed twice is the same record,
        // which is exactly why it can be replayed.
        var v = Published();

        Assert.Equal(v["\"hello\": record seq 0"], v["\"hello\": record seq 1"]);
        Assert.NotEqual(v["\"hello\": record seq 0"], v["\"abc\": record seq 0"]);
    }

    [Fact]
    public void Mac_Published_IsTextbookRsaSignatureOfHash16ModN()
    {
        var v = Published();
        var rsa = ClassroomRsa.FromPrimes(int.Parse(v["p"], System.Globalization.CultureInfo.InvariantCulture), int.Parse(v["q"], System.Globalization.CultureInfo.InvariantCulture));
        var hash = Convert.ToInt32(v["\"hello\": Hash16(P)"], 16);

        var mac = Convert.ToInt32(v["\"hello\": mac"], 16);

        Assert.Equal(int.Parse(v["N"], System.Globalization.CultureInfo.InvariantCulture), rsa.N);
        Assert.Equal(int.Parse(v["d"], System.Globalization.CultureInfo.InvariantCulture), rsa.D);
        Assert.Equal(hash % rsa.N, (int)System.Numerics.BigInteger.ModPow(mac, rsa.E, rsa.N));
    }
}
