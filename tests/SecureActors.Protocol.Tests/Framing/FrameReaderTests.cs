using System.Buffers;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Framing;

public sealed class FrameReaderTests
{
    [Fact]
    public void TryRead_HeaderLengthFFFF_RecordOverflowFromHeaderAlone()
    {
        var input = new ReadOnlySequence<byte>([0x17, 0xFF, 0xFF]);

        var status = FrameReader.TryRead(input, out _, out _, out _, out var failure);

        Assert.Equal(FrameReadStatus.Invalid, status);
        Assert.Equal(AlertDescription.RecordOverflow, failure!.Alert);
    }

    [Theory]
    [InlineData(0x17, FrameLimits.MaxProtectedRecord, true)]
    [InlineData(0x17, FrameLimits.MaxProtectedRecord + 1, false)]
    [InlineData(0x16, FrameLimits.MaxPlaintextRecord, true)]
    [InlineData(0x16, FrameLimits.MaxPlaintextRecord + 1, false)]
    [InlineData(0x15, FrameLimits.MaxPlaintextRecord + 1, false)]
    public void TryRead_RecordAtAndOverCap_AcceptOrRecordOverflow(byte type, int length, bool accepted)
    {
        var bytes = new byte[3 + length];
        bytes[0] = type;
        bytes[1] = (byte)(length >> 8);
        bytes[2] = (byte)length;

        var status = FrameReader.TryRead(new ReadOnlySequence<byte>(bytes), out _, out _, out var frame, out var failure);

        if (accepted)
        {
            Assert.Equal(FrameReadStatus.Complete, status);
            Assert.Equal(length, frame.Length);
        }
        else
        {
            Assert.Equal(FrameReadStatus.Invalid, status);
            Assert.Equal(AlertDescription.RecordOverflow, failure!.Alert);
        }
    }

    [Theory]
    [InlineData(0x42)]
    [InlineData(0x00)]
    [InlineData(0x18)]
    public void TryRead_UnknownRecordType_UnexpectedMessageAfterOneByte(byte type)
    {
        var status = FrameReader.TryRead(new ReadOnlySequence<byte>([type]), out _, out _, out _, out var failure);

        Assert.Equal(FrameReadStatus.Invalid, status);
        Assert.Equal(AlertDescription.UnexpectedMessage, failure!.Alert);
    }

    [Fact]
    public void TryRead_PartialBody_IncompleteAndConsumesNothing()
    {
        var input = new ReadOnlySequence<byte>([0x16, 0x00, 0x05, 1, 2]);

        var status = FrameReader.TryRead(input, out var consumed, out var examined, out _, out _);

        Assert.Equal(FrameReadStatus.Incomplete, status);
        Assert.Equal(input.Start, consumed);
        Assert.Equal(input.End, examined);
    }

    [Fact]
    public void TryRead_EverySplitOfTwoFrames_ParsesBoth()
    {
        byte[] wire = [0x16, 0x00, 0x03, 1, 2, 3, 0x15, 0x00, 0x02, 2, 40];
        for (var a = 0; a <= wire.Length; a++)
        {
            for (var b = a; b <= wire.Length; b++)
            {
                var input = Segments.Of([wire[..a], wire[a..b], wire[b..]]);
                Assert.Equal(FrameReadStatus.Complete, FrameReader.TryRead(input, out var consumed, out _, out var first, out _));
                Assert.Equal(RecordType.Handshake, first.Type);
                Assert.Equal(new byte[] { 1, 2, 3 }, first.Body.ToArray());
                input = input.Slice(consumed);
                Assert.Equal(FrameReadStatus.Complete, FrameReader.TryRead(input, out consumed, out _, out var second, out _));
                Assert.Equal(RecordType.Alert, second.Type);
                Assert.True(input.Slice(consumed).IsEmpty);
            }
        }
    }

    [Fact]
    public void FrameWriter_PlaintextRecord_RoundTrips()
    {
        var output = new ArrayBufferWriter<byte>();

        FrameWriter.WritePlaintext(output, RecordType.Handshake, [9, 8, 7]);

        Assert.Equal(new byte[] { 0x16, 0, 3, 9, 8, 7 }, output.WrittenSpan.ToArray());
    }
}

public sealed class PrologueTests
{
    [Fact]
    public void TryRead_Magic_CompleteAfterEightBytes()
    {
        var input = new ReadOnlySequence<byte>("SECACTR\nrest"u8.ToArray());

        Assert.Equal(FrameReadStatus.Complete, Prologue.TryRead(input, out var consumed, out _));
        Assert.Equal(8, input.Slice(0, consumed).Length);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("G")]
    [InlineData("SECACTX\n")]
    public void TryRead_NotTheMagic_InvalidAtFirstWrongByte(string text)
    {
        var input = new ReadOnlySequence<byte>(System.Text.Encoding.ASCII.GetBytes(text));

        Assert.Equal(FrameReadStatus.Invalid, Prologue.TryRead(input, out _, out _));
    }

    [Fact]
    public void TryRead_PrefixOfMagic_Incomplete()
    {
        Assert.Equal(FrameReadStatus.Incomplete, Prologue.TryRead(new ReadOnlySequence<byte>("SECA"u8.ToArray()), out _, out _));
    }
}
