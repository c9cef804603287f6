using System.Buffers.Binary;
using SecureActors.Protocol.Identity;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Records;

/// <summary>The receiver's checks of PROTOCOL.md §12, one alert per rule, in the spec's order.</summary>
public sealed class MessageSignatureReceiverTests
{
    private const string Room = "c1fe9a2563f6b3802e1b73d453f43fa8";

    private static MessageSignatureReceiver FromClient() => new(new PeerIdentity(TestKeys.Client.Spki), Room);

    private static byte[] Signed(ulong counter, string text = "hello") =>
        MessageSignature.Sign(TestKeys.Client, Room, counter, 1_700_000_000_000, System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Admit_SignedMessageWithIncreasingCounters_AdmitsEachAndItVerifies()
    {
        var receiver = FromClient();

        Assert.Null(receiver.Admit(true, Signed(1), "request 1", out var first));
        Assert.Null(receiver.Admit(true, Signed(5), "request 2", out var second));

        Assert.True(MessageSignature.Verify(receiver.Sender!, Room, first!));
        Assert.Equal(5UL, second!.Counter);
    }

    [Fact]
    public void Admit_UnsignedMessageFromASenderWithIdentity_IllegalParameter()
    {
        var failure = FromClient().Admit(false, "hello"u8, "request 1", out _);

        Assert.Equal(AlertDescription.IllegalParameter, failure?.Alert);
        Assert.Contains("unsigned", failure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_SignedFlagFromASenderWithoutIdentity_IllegalParameter()
    {
        var anonymous = new MessageSignatureReceiver(null, Room);

        var signed = anonymous.Admit(true, Signed(1), "request 1", out _);
        var unsigned = anonymous.Admit(false, "hello"u8, "request 2", out var nothing);

        Assert.Equal(AlertDescription.IllegalParameter, signed?.Alert);
        Assert.Null(unsigned);
        Assert.Null(nothing);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(21)]
    public void Admit_PayloadShorterThanTheFixedBlock_DecodeError(int length)
    {
        var failure = FromClient().Admit(true, Signed(1).AsSpan(0, length), "request 1", out _);

        Assert.Equal(AlertDescription.DecodeError, failure?.Alert);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Admit_BlockLengthDisagreesWithSignatureLength_DecodeError(int delta)
    {
        var payload = Signed(1);
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(payload) + delta));

        var failure = FromClient().Admit(true, payload, "request 1", out _);

        Assert.Equal(AlertDescription.DecodeError, failure?.Alert);
    }

    [Fact]
    public void Admit_SignatureRunsPastThePayload_DecodeError()
    {
        var payload = Signed(1, text: "");

        var failure = FromClient().Admit(true, payload.AsSpan(0, payload.Length - 1), "request 1", out _);

        Assert.Equal(AlertDescription.DecodeError, failure?.Alert);
    }

    [Theory]
    [InlineData((ushort)0x0805)]
    [InlineData((ushort)0x0401)]
    public void Admit_SchemeOtherThanRsaPssSha256_IllegalParameter(ushort scheme)
    {
        var payload = Signed(1);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(18), scheme);

        var failure = FromClient().Admit(true, payload, "request 1", out _);

        Assert.Equal(AlertDescription.IllegalParameter, failure?.Alert);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(3UL)]
    [InlineData(2UL)]
    public void Admit_CounterNotAboveTheHighestSoFar_IllegalParameter(ulong counter)
    {
        var receiver = FromClient();
        Assert.Null(receiver.Admit(true, Signed(3), "request 1", out _));

        var failure = receiver.Admit(true, Signed(counter), "request 2", out _);

        Assert.Equal(AlertDescription.IllegalParameter, failure?.Alert);
        Assert.Contains("counter", failure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_MessageSignedForAnotherRoom_AdmittedButDoesNotVerify()
    {
        var receiver = FromClient();
        var elsewhere = MessageSignature.Sign(TestKeys.Client, "another session", 1, 0, "hello"u8);

        Assert.Null(receiver.Admit(true, elsewhere, "request 1", out var message));

        Assert.False(MessageSignature.Verify(receiver.Sender!, receiver.Room, message!));
        Assert.Equal(AlertDescription.DecryptError, MessageSignatureReceiver.BadSignature("request 1").Alert);
    }

    [Fact]
    public void Verify_SignatureOfWrongLength_FailsWithoutThrowing()
    {
        Assert.True(MessageSignature.TryParse(Signed(1), out var message));

        var truncated = message! with { Signature = message.Signature[..^1] };

        Assert.False(MessageSignature.Verify(new PeerIdentity(TestKeys.Client.Spki), Room, truncated));
    }
}
