using System.Buffers;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Records;

public sealed class SecureChannelTests
{
    private static byte[] Request(SecureChannel client, byte[] payload)
    {
        var wire = new ArrayBufferWriter<byte>();
        Assert.True(client.TryWriteRequest(payload, wire, out _));
        return wire.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(CipherSuite.Aes128GcmSha256)]
    [InlineData(CipherSuite.Aes256GcmSha384)]
    [InlineData(CipherSuite.ChaCha20Poly1305Sha256)]
    public void RequestReplyPush_EverySuite_RoundTripWithCorrelation(CipherSuite suite)
    {
        var (client, server) = ChannelPair.Create(suite);
        using var c = client;
        using var s = server;
        var wire = new ArrayBufferWriter<byte>();

        Assert.True(c.TryWriteRequest("a"u8, wire, out var id1));
        Assert.True(c.TryWriteRequest("b"u8, wire, out var id2));
        var requests = ChannelTestSupport.ReceiveAll(s, wire.WrittenSpan.ToArray());
        wire.ResetWrittenCount();
        Assert.True(s.TryWriteReply(id1, "A"u8, wire));
        Assert.True(s.TryWritePush("P"u8, wire, out _));
        Assert.True(s.TryWriteReply(id2, "B"u8, wire));
        var replies = ChannelTestSupport.ReceiveAll(c, wire.WrittenSpan.ToArray());

        Assert.Equal([1UL, 2UL], requests.Select(r => r.Id));
        Assert.Equal([MessageKind.Reply, MessageKind.Push, MessageKind.Reply], replies.Select(r => r.Kind));
        Assert.Equal(["A", "P", "B"], replies.Select(r => System.Text.Encoding.ASCII.GetString(r.Payload)));
        Assert.Equal([1UL, 1UL, 2UL], replies.Select(r => r.Id));
        Assert.Equal(0UL, c.OutstandingRequests);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(FrameLimits.MaxContent - SecureChannel.MessageHeaderLength)]
    [InlineData(FrameLimits.MaxContent - SecureChannel.MessageHeaderLength + 1)]
    [InlineData(100_000)]
    [InlineData(1 << 20)]
    public void Message_AnySizeUpToMaximum_FragmentedAndReassembled(int size)
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        var payload = new byte[size];
        new Random(size).NextBytes(payload);

        var wire = Request(c, payload);
        var received = ChannelTestSupport.ReceiveAll(s, wire);

        Assert.Equal(payload, Assert.Single(received).Payload);
        Assert.Equal(Math.Max(1, (size + SecureChannel.MessageHeaderLength + FrameLimits.MaxContent - 1) / FrameLimits.MaxContent), ChannelTestSupport.Records(wire).Count);
    }

    [Fact]
    public void Receive_MessageOverMaximum_RecordOverflowOnFirstRecordBeforeBuffering()
    {
        var (client, server) = ChannelPair.Create(serverOptions: ProtocolOptions.Default with { MaxMessageSize = 1000 }, clientOptions: ProtocolOptions.Default);
        using var c = client;
        using var s = server;
        var big = new ChannelPair_Bypass(c).RequestIgnoringPeerLimit(new byte[50_000]);

        var records = ChannelTestSupport.Records(big);
        var outcome = ChannelTestSupport.Receive(s, records[0]);

        Assert.Equal(AlertDescription.RecordOverflow, outcome.Failure!.Alert);
        Assert.NotEmpty(outcome.Responses);
    }

    [Fact]
    public void Send_MessageOverPeerMaximum_Throws()
    {
        var (client, server) = ChannelPair.Create(serverOptions: ProtocolOptions.Default with { MaxMessageSize = 10 });
        using var c = client;
        using var s = server;

        Assert.Throws<ArgumentException>(() => c.TryWriteRequest(new byte[11], new ArrayBufferWriter<byte>(), out _));
    }

    [Fact]
    public void Receive_EachByteOfRecordFlipped_BadRecordMac()
    {
        // Brief row 34: every body byte, tag included, flipped in turn.
        var template = Request(ChannelPair.Create().Client, "sixteen bytes!!!"u8.ToArray());
        for (var i = FrameLimits.HeaderLength; i < template.Length; i++)
        {
            var (_, server) = ChannelPair.Create();
            using var s = server;
            var record = (byte[])template.Clone();
            record[i] ^= 0x01;

            var ev = s.Receive(record, new ArrayBufferWriter<byte>());

            Assert.Equal(ChannelEventKind.Failed, ev.Kind);
            Assert.Equal(AlertDescription.BadRecordMac, ev.Failure!.Alert);
        }
    }

    [Fact]
    public void Receive_LengthInHeaderAltered_BadRecordMac()
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        var record = Request(c, new byte[20]);
        // Keep the frame parseable but authenticate a different header: move a byte from body to length.
        record = record[..^1];
        record[2] -= 1;

        var ev = s.Receive(record, new ArrayBufferWriter<byte>());

        Assert.Equal(AlertDescription.BadRecordMac, ev.Failure!.Alert);
    }

    [Theory]
    [InlineData(0x16)]
    [InlineData(0x15)]
    public void Receive_TypeByteNotProtected_UnexpectedMessageBeforeAnyDecryption(byte type)
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        var record = Request(c, new byte[20]);
        record[0] = type;

        var ev = s.Receive(record, new ArrayBufferWriter<byte>());

        // After the handshake only protected records are valid (PROTOCOL.md §6.5), as on the Frame path.
        Assert.Equal(AlertDescription.UnexpectedMessage, ev.Failure!.Alert);
        Assert.Contains("record after the handshake", ev.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_ReplayedRecord_BadRecordMac()
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        var record = Request(c, [1]);

        Assert.Equal(ChannelEventKind.Message, s.Receive((byte[])record.Clone(), new ArrayBufferWriter<byte>()).Kind);
        Assert.Equal(AlertDescription.BadRecordMac, s.Receive(record, new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    [Fact]
    public void Receive_ReorderedRecords_BadRecordMac()
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        _ = Request(c, [1]);
        var second = Request(c, [2]);

        Assert.Equal(AlertDescription.BadRecordMac, s.Receive(second, new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    [Fact]
    public void Receive_ReflectedServerRecord_BadRecordMac()
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        var wire = new ArrayBufferWriter<byte>();
        Assert.True(s.TryWritePush([1], wire, out _));

        Assert.Equal(AlertDescription.BadRecordMac, s.Receive(wire.WrittenSpan.ToArray(), new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    [Fact]
    public void Receive_AllZeroInnerPlaintext_UnexpectedMessage()
    {
        var (_, server) = ChannelPair.Create();
        using var s = server;
        using var sealer = RecordSealer.Create(CipherSuite.Aes128GcmSha256, ChannelPair.ClientSecret.AsSpan(0, 32));
        var record = new byte[RecordSealer.RecordLength(5)];
        sealer.Seal(new byte[5], 0, record);

        Assert.Equal(AlertDescription.UnexpectedMessage, s.Receive(record, new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(33, false)]
    public void Receive_EmptyRecordsInARow_AcceptedUpToCap(int count, bool accepted)
    {
        var (_, server) = ChannelPair.Create();
        using var s = server;
        using var sealer = RecordSealer.Create(CipherSuite.Aes128GcmSha256, ChannelPair.ClientSecret.AsSpan(0, 32));
        ChannelEventKind last = default;
        for (var i = 0; i < count; i++)
        {
            var record = new byte[RecordSealer.RecordLength(0)];
            sealer.Seal([], ContentType.ApplicationData, record);
            var ev = s.Receive(record, new ArrayBufferWriter<byte>());
            last = ev.Kind;
            if (!accepted && i == count - 1)
            {
                Assert.Equal(AlertDescription.UnexpectedMessage, ev.Failure!.Alert);
            }
        }

        Assert.Equal(accepted ? ChannelEventKind.None : ChannelEventKind.Failed, last);
    }

    [Fact]
    public void KeyUpdate_Valid_BothSidesContinueAndOldKeyFails()
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        var wire = new ArrayBufferWriter<byte>();
        var beforeUpdate = Request(RecordSealerClone(), [9]);
        Assert.True(c.TryWriteKeyUpdate(requestPeerUpdate: true, wire));
        Assert.True(c.TryWriteRequest("after"u8, wire, out _));

        var outcome = ChannelTestSupport.Receive(s, wire.WrittenSpan.ToArray());

        Assert.Null(outcome.Failure);
        Assert.Equal("after"u8.ToArray(), Assert.Single(outcome.Messages).Payload);
        Assert.Equal(1, s.KeyUpdatesReceived);
        Assert.Equal(1, s.KeyUpdatesSent);
        var back = ChannelTestSupport.Receive(c, outcome.Responses);
        Assert.Null(back.Failure);
        Assert.Equal(1, c.KeyUpdatesReceived);

        // A record under the old key (sequence 0 of generation 0) no longer opens.
        Assert.Equal(AlertDescription.BadRecordMac, s.Receive(beforeUpdate, new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    private static SecureChannel RecordSealerClone() => ChannelPair.Create().Client;

    [Theory]
    [InlineData(new byte[] { 24, 0, 1, 2 }, AlertDescription.IllegalParameter)]
    [InlineData(new byte[] { 24, 0, 2, 0, 0 }, AlertDescription.DecodeError)]
    [InlineData(new byte[] { 24, 0, 1, 0, 0 }, AlertDescription.DecodeError)]
    [InlineData(new byte[] { 20, 0, 1, 0 }, AlertDescription.UnexpectedMessage)]
    [InlineData(new byte[] { 99 }, AlertDescription.UnexpectedMessage)]
    [InlineData(new byte[] { 24 }, AlertDescription.DecodeError)]
    [InlineData(new byte[] { 24, 0 }, AlertDescription.DecodeError)]
    [InlineData(new byte[] { 24, 0, 1, 0, 24, 0, 1, 0 }, AlertDescription.DecodeError)]
    [InlineData(new byte[0], AlertDescription.DecodeError)]
    public void Receive_MalformedKeyUpdate_ExactAlert(byte[] message, AlertDescription expected)
    {
        var (_, server) = ChannelPair.Create();
        using var s = server;
        using var sealer = RecordSealer.Create(CipherSuite.Aes128GcmSha256, ChannelPair.ClientSecret.AsSpan(0, 32));
        var record = new byte[RecordSealer.RecordLength(message.Length)];
        sealer.Seal(message, ContentType.Handshake, record);

        Assert.Equal(expected, s.Receive(record, new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(33, false)]
    public void Receive_KeyUpdatesWithoutData_AcceptedUpToCap(int count, bool accepted)
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        var wire = new ArrayBufferWriter<byte>();
        for (var i = 0; i < count; i++)
        {
            Assert.True(c.TryWriteKeyUpdate(false, wire));
        }

        var outcome = ChannelTestSupport.Receive(s, wire.WrittenSpan.ToArray());

        Assert.Equal(accepted ? null : AlertDescription.UnexpectedMessage, outcome.Failure?.Alert);
    }

    [Fact]
    public void Send_RecordThresholdTen_KeyUpdateFiresAtTen()
    {
        var options = ProtocolOptions.Default with { KeyUpdateAfterRecords = 10 };
        var (client, server) = ChannelPair.Create(clientOptions: options);
        using var c = client;
        using var s = server;
        var wire = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(c.TryWriteRequest([(byte)i], wire, out _));
        }

        Assert.Equal(0, c.KeyUpdatesSent);
        Assert.True(c.TryWriteRequest([10], wire, out _));
        Assert.Equal(1, c.KeyUpdatesSent);
        Assert.Equal(11, ChannelTestSupport.ReceiveAll(s, wire.WrittenSpan.ToArray()).Count);
        Assert.Equal(1, s.KeyUpdatesReceived);
    }

    [Fact]
    public void Send_ByteThreshold_KeyUpdateFires()
    {
        var options = ProtocolOptions.Default with { KeyUpdateAfterBytes = 1000 };
        var (client, server) = ChannelPair.Create(clientOptions: options);
        using var c = client;
        using var s = server;
        var wire = new ArrayBufferWriter<byte>();

        Assert.True(c.TryWriteRequest(new byte[990], wire, out _));
        Assert.True(c.TryWriteRequest(new byte[10], wire, out _));

        Assert.Equal(1, c.KeyUpdatesSent);
        Assert.Equal(2, ChannelTestSupport.ReceiveAll(s, wire.WrittenSpan.ToArray()).Count);
    }

    [Fact]
    public void Send_TimeThreshold_KeyUpdateFiresAfterInterval()
    {
        var clock = new ManualTimeProvider();
        var options = ProtocolOptions.Default with { KeyUpdateInterval = TimeSpan.FromMinutes(5), TimeProvider = clock };
        var (client, server) = ChannelPair.Create(clientOptions: options);
        using var c = client;
        using var s = server;
        var wire = new ArrayBufferWriter<byte>();

        Assert.True(c.TryWriteRequest([1], wire, out _));
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True(c.TryWriteRequest([2], wire, out _));
        Assert.Equal(0, c.KeyUpdatesSent);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(c.TryWriteRequest([3], wire, out _));

        Assert.Equal(1, c.KeyUpdatesSent);
        Assert.Equal(3, ChannelTestSupport.ReceiveAll(s, wire.WrittenSpan.ToArray()).Count);
    }

    [Fact]
    public void Send_SequenceAtTwoToThe64MinusTwo_OneMoreRecordThenClosesWithoutWrap()
    {
        var (client, server) = ChannelPair.Create(clientOptions: ProtocolOptions.Default with { KeyUpdateAfterRecords = long.MaxValue });
        using var c = client;
        using var s = server;
        c.Sealer.SequenceNumber = ulong.MaxValue - 1;
        s.Opener.SequenceNumber = ulong.MaxValue - 1;
        var wire = new ArrayBufferWriter<byte>();

        Assert.True(c.TryWriteRequest([1], wire, out _));
        Assert.False(c.TryWriteRequest([2], wire, out _));

        Assert.True(c.IsSendClosed);
        Assert.Equal(ulong.MaxValue, c.Sealer.SequenceNumber);
        Assert.Single(ChannelTestSupport.ReceiveAll(s, wire.WrittenSpan.ToArray()));
    }

    [Fact]
    public void Receive_PeerExceedsRecordsPerKey_Closes()
    {
        var (client, server) = ChannelPair.Create(serverOptions: ProtocolOptions.Default with { MaxRecordsPerPeerKey = 3 });
        using var c = client;
        using var s = server;
        var wire = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(c.TryWritePush([1], wire, out _));
        }

        var outcome = ChannelTestSupport.Receive(s, wire.WrittenSpan.ToArray());

        Assert.Equal(3, outcome.Messages.Count);
        Assert.Equal(AlertDescription.UnexpectedMessage, outcome.Failure!.Alert);
    }

    [Fact]
    public void Close_Exit_CloseNotifyBothWaysAndLaterDataDropped()
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        var wire = new ArrayBufferWriter<byte>();
        Assert.True(c.TryWriteClose(wire));
        var afterClose = new ArrayBufferWriter<byte>();
        var stray = ChannelPair.Create().Client;
        stray.Sealer.SequenceNumber = 1;
        Assert.True(stray.TryWritePush([7], afterClose, out _));

        var outcome = ChannelTestSupport.Receive(s, [.. wire.WrittenSpan, .. afterClose.WrittenSpan]);

        Assert.True(outcome.Closed);
        Assert.Empty(outcome.Messages);
        Assert.Null(outcome.Failure);
        var answer = new ArrayBufferWriter<byte>();
        Assert.True(s.TryWriteClose(answer));
        Assert.True(ChannelTestSupport.Receive(c, answer.WrittenSpan.ToArray()).Closed);
        Assert.False(c.TryWriteRequest([1], wire, out _));
    }

    [Fact]
    public void Receive_PlaintextRecordAfterHandshake_UnexpectedMessage()
    {
        var (_, server) = ChannelPair.Create();
        using var s = server;
        var output = new ArrayBufferWriter<byte>();

        var ev = s.Receive(Frame.Create(RecordType.Alert, new byte[] { 2, 40 }), output);

        Assert.Equal(AlertDescription.UnexpectedMessage, ev.Failure!.Alert);
    }

    [Fact]
    public void Receive_ReplyWithoutRequest_UnexpectedMessage()
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        var forged = ForgeMessage(MessageKind.Reply, 1, server: true);

        Assert.Equal(AlertDescription.UnexpectedMessage, c.Receive(forged, new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    [Fact]
    public void Receive_ReplyWithWrongId_IllegalParameter()
    {
        var (client, _) = ChannelPair.Create();
        using var c = client;
        Assert.True(c.TryWriteRequest([1], new ArrayBufferWriter<byte>(), out _));

        Assert.Equal(AlertDescription.IllegalParameter, c.Receive(ForgeMessage(MessageKind.Reply, 7, server: true), new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    [Fact]
    public void Receive_RequestTowardsClient_UnexpectedMessage()
    {
        var (client, _) = ChannelPair.Create();
        using var c = client;

        Assert.Equal(AlertDescription.UnexpectedMessage, c.Receive(ForgeMessage(MessageKind.Request, 1, server: true), new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    [Fact]
    public void Receive_SignedFlagNotNegotiated_IllegalParameter()
    {
        var (_, server) = ChannelPair.Create();
        using var s = server;

        Assert.Equal(AlertDescription.IllegalParameter, s.Receive(ForgeMessage(MessageKind.Request, 1, server: false, flags: 1), new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    [Fact]
    public void Receive_ContinuationLongerThanMessage_DecodeError()
    {
        var (_, server) = ChannelPair.Create();
        using var s = server;
        var header = new byte[SecureChannel.MessageHeaderLength];
        header[0] = 1;
        header[9] = 1;
        header[13] = 5; // length 5, none in this record
        using var sealer = RecordSealer.Create(CipherSuite.Aes128GcmSha256, ChannelPair.ClientSecret.AsSpan(0, 32));
        var first = new byte[RecordSealer.RecordLength(header.Length)];
        sealer.Seal(header, ContentType.ApplicationData, first);
        var second = new byte[RecordSealer.RecordLength(6)];
        sealer.Seal(new byte[6], ContentType.ApplicationData, second);

        Assert.Equal(ChannelEventKind.None, s.Receive(first, new ArrayBufferWriter<byte>()).Kind);
        Assert.Equal(AlertDescription.DecodeError, s.Receive(second, new ArrayBufferWriter<byte>()).Failure!.Alert);
    }

    [Fact]
    public void SealAndOpen_SteadyState_AllocatesNothing()
    {
        var (client, server) = ChannelPair.Create();
        using var c = client;
        using var s = server;
        var wire = new ArrayBufferWriter<byte>(64 * 1024);
        var output = new ArrayBufferWriter<byte>(1024);
        var payload = new byte[1024];
        for (var i = 0; i < 50; i++)
        {
            RoundTrip();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            RoundTrip();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void RoundTrip()
        {
            wire.ResetWrittenCount();
            c.TryWritePush(payload, wire, out _);
            var ev = s.Receive(wire.WrittenMemory.Span.ToArrayNoAlloc(), output);
            if (ev.Kind != ChannelEventKind.Message)
            {
                throw new InvalidOperationException("round trip failed");
            }
        }
    }

    private static byte[] ForgeMessage(MessageKind kind, ulong id, bool server, byte flags = 0)
    {
        var content = new byte[SecureChannel.MessageHeaderLength];
        content[0] = (byte)kind;
        content[1] = flags;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(content.AsSpan(2), id);
        using var sealer = RecordSealer.Create(CipherSuite.Aes128GcmSha256, (server ? ChannelPair.ServerSecret : ChannelPair.ClientSecret).AsSpan(0, 32));
        var record = new byte[RecordSealer.RecordLength(content.Length)];
        sealer.Seal(content, ContentType.ApplicationData, record);
        return record;
    }
}

/// <summary>Sends past the peer's announced limit, as a hostile peer would.</summary>
internal sealed class ChannelPair_Bypass(SecureChannel client)
{
    public byte[] RequestIgnoringPeerLimit(byte[] payload)
    {
        var header = new byte[SecureChannel.MessageHeaderLength];
        header[0] = (byte)MessageKind.Request;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(10), (uint)payload.Length);
        var content = header.Concat(payload.Take(FrameLimits.MaxContent - header.Length)).ToArray();
        var record = new byte[RecordSealer.RecordLength(content.Length)];
        client.Sealer.Seal(content, ContentType.ApplicationData, record);
        return record;
    }
}

internal static class SpanExtensions
{
    /// <summary>The written span is writable memory of the buffer writer; open it in place without copying.</summary>
    public static Span<byte> ToArrayNoAlloc(this ReadOnlySpan<byte> span) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span), span.Length);
}
