using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Records;

/// <summary>
/// The known-answer vector printed in PROTOCOL.md §12. RSA-PSS is randomised, so the deterministic
/// parts (digest input, digest, signed content) are recomputed from the printed inputs, and the
/// printed signature, made once with the printed key's private half by an independent tool (openssl),
/// must verify.
/// </summary>
public sealed class MessageSignatureVectorTests
{
    private static readonly Lazy<Dictionary<string, string>> Vector = new(() => ProtocolDoc.KnownAnswerFields("MessageSignature"));

    private static string Text(string name) => Vector.Value[name].Trim('"');

    private static byte[] Hex(string name) => Convert.FromHexString(Vector.Value[name]);

    private static byte[] Spki => Hex("spki");

    private static string Room => Text("room");

    private static ulong Counter => ulong.Parse(Vector.Value["counter"], System.Globalization.CultureInfo.InvariantCulture);

    private static long UnixMilliseconds => long.Parse(Vector.Value["unix_ms"], System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Application => Encoding.UTF8.GetBytes(Text("application"));

    [Fact]
    public void Vector_DigestInputDigestAndContent_EqualWhatTheCodeComputesFromThePrintedInputs()
    {
        var digest = MessageSignature.Digest(Spki, Room, Counter, UnixMilliseconds, Application);
        var content = MessageSignature.Content(Spki, Room, Counter, UnixMilliseconds, Application);

        Assert.Equal(Vector.Value["SHA-256(spki)"], Convert.ToHexStringLower(SHA256.HashData(Spki)));
        Assert.Equal(Vector.Value["digest"], Convert.ToHexStringLower(SHA256.HashData(Hex("digest input"))));
        Assert.Equal(Vector.Value["digest"], Convert.ToHexStringLower(digest));
        Assert.Equal(Vector.Value["content"], Convert.ToHexStringLower(content));
    }

    [Fact]
    public void Vector_PrintedPayload_ParsesToThePrintedFieldsAndItsSignatureVerifies()
    {
        Assert.True(MessageSignature.TryParse(Hex("payload"), out var message));

        Assert.Equal(Counter, message!.Counter);
        Assert.Equal(UnixMilliseconds, message.UnixMilliseconds);
        Assert.Equal(MessageSignature.Scheme, message.Scheme);
        Assert.Equal(Hex("signature"), message.Signature);
        Assert.Equal(Application, message.Application);
        Assert.True(MessageSignature.Verify(new PeerIdentity(Spki), Room, message));
    }

    [Fact]
    public void Vector_PrintedPayload_IsTheBlockLayoutFollowedByTheApplicationBytes()
    {
        var signature = Hex("signature");
        var expected = new byte[2 + 8 + 8 + 2 + 2 + signature.Length + Application.Length];
        BinaryPrimitives.WriteUInt16BigEndian(expected, (ushort)(20 + signature.Length));
        BinaryPrimitives.WriteUInt64BigEndian(expected.AsSpan(2), Counter);
        BinaryPrimitives.WriteInt64BigEndian(expected.AsSpan(10), UnixMilliseconds);
        BinaryPrimitives.WriteUInt16BigEndian(expected.AsSpan(18), 0x0804);
        BinaryPrimitives.WriteUInt16BigEndian(expected.AsSpan(20), (ushort)signature.Length);
        signature.CopyTo(expected.AsSpan(22));
        Application.CopyTo(expected.AsSpan(22 + signature.Length));

        Assert.Equal(expected, Hex("payload"));
    }

    [Theory]
    [InlineData("room")]
    [InlineData("counter")]
    [InlineData("unix_ms")]
    [InlineData("application")]
    [InlineData("signature")]
    public void Vector_AnyCoveredFieldChanged_NoLongerVerifies(string field)
    {
        Assert.True(MessageSignature.TryParse(Hex("payload"), out var message));
        var room = Room;
        switch (field)
        {
            case "room":
                room = "00" + Room[2..];
                break;
            case "counter":
                message = message! with { Counter = Counter + 1 };
                break;
            case "unix_ms":
                message = message! with { UnixMilliseconds = UnixMilliseconds + 1 };
                break;
            case "application":
                message = message! with { Application = "hellO"u8.ToArray() };
                break;
            default:
                var tampered = message!.Signature.ToArray();
                tampered[^1] ^= 0x01;
                message = message with { Signature = tampered };
                break;
        }

        Assert.False(MessageSignature.Verify(new PeerIdentity(Spki), room, message!));
    }

    [Fact]
    public void Sign_FreshKey_ProducesTheSameLayoutAndContentAsTheVectorDescribes()
    {
        var payload = MessageSignature.Sign(TestKeys.Client, Room, Counter, UnixMilliseconds, Application);

        Assert.True(MessageSignature.TryParse(payload, out var message));
        Assert.Equal(MessageSignature.BlockLength(TestKeys.Client.KeySizeBits) + Application.Length, payload.Length);
        Assert.Equal(Hex("payload")[..22], payload[..22]);
        using var key = RSA.Create();
        key.ImportSubjectPublicKeyInfo(TestKeys.Client.Spki.Span, out _);
        var content = MessageSignature.Content(TestKeys.Client.Spki.Span, Room, Counter, UnixMilliseconds, Application);
        Assert.True(key.VerifyData(content, message!.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }
}
