using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;
using SecureActors.Protocol.Records;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Records;

/// <summary>PROTOCOL.md §8.7: several whole messages in one record, when both ends agreed.</summary>
public sealed class MessageBatchingTests
{
    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Requests(SecureChannel client, int count, int size = 16)
    {
        var wire = new ArrayBufferWriter<byte>();
        client.BeginBatch();
        for (var i = 0; i < count; i++)
        {
            Assert.True(client.TryWriteRequest(Enumerable.Repeat((byte)i, size).ToArray(), wire, out _));
        }

        Assert.True(client.EndBatch(wire));
        return wire.WrittenSpan.ToArray();
    }

    [Fact]
    public void Batch_SeveralReplies_LeaveInOneRecordAndArriveInOrder()
    {
        var (client, server) = ChannelPair.Create(messageBatching: true);
        ChannelTestSupport.ReceiveAll(server, Requests(client, 3));
        var wire = new ArrayBufferWriter<byte>();

        server.BeginBatch();
        for (ulong id = 1; id <= 3; id++)
        {
            Assert.True(server.TryWriteReply(id, Text($"reply {id}"), wire));
        }

        Assert.Equal(0, wire.WrittenCount);
        Assert.True(server.EndBatch(wire));

        Assert.Single(ChannelTestSupport.Records(wire.WrittenSpan.ToArray()));
        var replies = ChannelTestSupport.ReceiveAll(client, wire.WrittenSpan.ToArray());
        Assert.Equal(["reply 1", "reply 2", "reply 3"], replies.Select(r => Encoding.UTF8.GetString(r.Payload)));
        Assert.Equal([1UL, 2UL, 3UL], replies.Select(r => r.Id));
        Assert.False(client.HasPendingMessages);
    }

    [Fact]
    public void Batch_MoreThanOneRecordHolds_FillsRecordsToTheLimitAndLosesNothing()
    {
        var (client, server) = ChannelPair.Create(messageBatching: true);

        var wire = Requests(client, 100, size: 1000);

        Assert.Equal(7, ChannelTestSupport.Records(wire).Count);
        Assert.All(ChannelTestSupport.Records(wire), r => Assert.True(r.Length <= FrameLimits.MaxRecordOnWire));
        var received = ChannelTestSupport.ReceiveAll(server, wire);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (ulong)i), received.Select(m => m.Id));
        Assert.All(received, m => Assert.Equal(Enumerable.Repeat((byte)(m.Id - 1), 1000), m.Payload));
    }

    [Fact]
    public void Batch_AMessageNeedingRecordsOfItsOwn_LeavesAfterTheMessagesCollectedBeforeIt()
    {
        var (client, server) = ChannelPair.Create(messageBatching: true);
        var wire = new ArrayBufferWriter<byte>();
        var large = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray();

        client.BeginBatch();
        Assert.True(client.TryWriteRequest(Text("small 1"), wire, out _));
        Assert.True(client.TryWriteRequest(large, wire, out _));
        Assert.True(client.TryWriteRequest(Text("small 3"), wire, out _));
        Assert.True(client.EndBatch(wire));

        var received = ChannelTestSupport.ReceiveAll(server, wire.WrittenSpan.ToArray());
        Assert.Equal([1UL, 2UL, 3UL], received.Select(m => m.Id));
        Assert.Equal(large, received[1].Payload);
        Assert.Equal("small 3", Encoding.UTF8.GetString(received[2].Payload));
    }

    [Fact]
    public void Batch_CloseNotifyAfterCollectedMessages_TheMessagesLeaveFirst()
    {
        var (client, server) = ChannelPair.Create(messageBatching: true);
        var wire = new ArrayBufferWriter<byte>();

        client.BeginBatch();
        Assert.True(client.TryWriteRequest(Text("before close"), wire, out _));
        Assert.True(client.TryWriteClose(wire));

        var outcome = ChannelTestSupport.Receive(server, wire.WrittenSpan.ToArray());
        Assert.Equal("before close", Encoding.UTF8.GetString(Assert.Single(outcome.Messages).Payload));
        Assert.True(outcome.Closed);
    }

    [Fact]
    public void Batch_NotNegotiated_EveryMessageHasItsOwnRecord()
    {
        var (client, _) = ChannelPair.Create(messageBatching: false);

        var wire = Requests(client, 3);

        Assert.Equal(3, ChannelTestSupport.Records(wire).Count);
    }

    [Fact]
    public void Receive_BatchedRecordWithoutNegotiation_DecodeError()
    {
        var (batchingClient, _) = ChannelPair.Create(messageBatching: true);
        var (_, plainServer) = ChannelPair.Create(messageBatching: false);

        var outcome = ChannelTestSupport.Receive(plainServer, Requests(batchingClient, 2));

        Assert.Equal(AlertDescription.DecodeError, outcome.Failure?.Alert);
        Assert.Empty(outcome.Messages);
    }

    [Fact]
    public void Receive_BatchedMessageCutShort_DecodeErrorAfterTheWholeOnes()
    {
        var (client, server) = ChannelPair.Create(messageBatching: true);
        // One record whose content is a whole request, then a header announcing 100 bytes with 3 present.
        var content = new byte[(2 * SecureChannel.MessageHeaderLength) + 5 + 3];
        WriteHeader(content, id: 1, length: 5);
        WriteHeader(content.AsSpan(SecureChannel.MessageHeaderLength + 5), id: 2, length: 100);
        var wire = new ArrayBufferWriter<byte>();
        var span = wire.GetSpan(RecordSealer.RecordLength(content.Length));
        content.CopyTo(span[FrameLimits.HeaderLength..]);
        wire.Advance(client.Sealer.SealInPlace(span, content.Length, ContentType.ApplicationData));

        var outcome = ChannelTestSupport.Receive(server, wire.WrittenSpan.ToArray());

        Assert.Single(outcome.Messages);
        Assert.Equal(AlertDescription.DecodeError, outcome.Failure?.Alert);
    }

    [Fact]
    public void Receive_LongRecordWithAWrongIdWithoutNegotiation_DecodeErrorAsBeforeBatching()
    {
        var (client, server) = ChannelPair.Create(messageBatching: false);
        // Two defects at once: content past the message's length, and request id 7 where 1 is due.
        // Without batching the length defect is reported, as it was before §8.7 existed.
        var content = new byte[SecureChannel.MessageHeaderLength + 5 + 4];
        WriteHeader(content, id: 7, length: 5);
        var wire = new ArrayBufferWriter<byte>();
        var span = wire.GetSpan(RecordSealer.RecordLength(content.Length));
        content.CopyTo(span[FrameLimits.HeaderLength..]);
        wire.Advance(client.Sealer.SealInPlace(span, content.Length, ContentType.ApplicationData));

        var outcome = ChannelTestSupport.Receive(server, wire.WrittenSpan.ToArray());

        Assert.Equal(AlertDescription.DecodeError, outcome.Failure?.Alert);
    }

    [Fact]
    public void ReceiveAll_RecordInPlace_YieldsEveryMessageWithPayloadsInsideTheRecord()
    {
        var (client, server) = ChannelPair.Create(messageBatching: true);
        var record = ChannelTestSupport.Records(Requests(client, 3)).Single();
        var output = new ArrayBufferWriter<byte>();
        var seen = new List<(ulong Id, byte First)>();

        foreach (var received in server.ReceiveAll(record.AsSpan(), output))
        {
            Assert.Equal(ChannelEventKind.Message, received.Kind);
            seen.Add((received.Id, received.Payload[0]));
        }

        Assert.Equal([(1UL, (byte)0), (2UL, (byte)1), (3UL, (byte)2)], seen);
        Assert.False(server.HasPendingMessages);
    }

    [Fact]
    public void ReceiveAll_WithoutBatching_YieldsTheRecordsOneEvent()
    {
        var (client, server) = ChannelPair.Create();
        var records = ChannelTestSupport.Records(Requests(client, 2));
        var output = new ArrayBufferWriter<byte>();
        var ids = new List<ulong>();

        foreach (var record in records)
        {
            foreach (var received in server.ReceiveAll(record.AsSpan(), output))
            {
                ids.Add(received.Id);
            }
        }

        Assert.Equal(2, records.Count);
        Assert.Equal([1UL, 2UL], ids);
    }

    [Fact]
    public void Receive_NextRecordWhileMessagesArePending_Throws()
    {
        var (client, server) = ChannelPair.Create(messageBatching: true);
        var records = ChannelTestSupport.Records(Requests(client, 2));
        var output = new ArrayBufferWriter<byte>();
        var record = records[0];

        Assert.Equal(ChannelEventKind.Message, server.Receive(record, output).Kind);

        Assert.True(server.HasPendingMessages);
        Assert.Throws<InvalidOperationException>(() => { _ = server.Receive(record.ToArray(), output).Kind; });
    }

    [Fact]
    public void Handshake_BothWantBatching_BothChannelsBatch()
    {
        using var client = Loopback.Client();
        using var server = Loopback.Server();

        var (c, s) = Loopback.Run(client, server);

        Assert.True(c.Last!.Result!.Channel.MessageBatching);
        Assert.True(s.Last!.Result!.Channel.MessageBatching);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Handshake_EitherEndDeclines_NeitherChannelBatches(bool clientWants, bool serverWants)
    {
        using var client = Loopback.Client(ProtocolOptions.Default with { MessageBatching = clientWants });
        using var server = Loopback.Server(ProtocolOptions.Default with { MessageBatching = serverWants });

        var (c, s) = Loopback.Run(client, server);

        Assert.False(c.Last!.Result!.Channel.MessageBatching);
        Assert.False(s.Last!.Result!.Channel.MessageBatching);
    }

    [Fact]
    public void ServerParams_BatchingExtensionWithData_DecodeError()
    {
        var encoded = new HandshakeMessages.ServerParams(ClientAuthPolicy.None, 1024, false, [0x0804], MessageBatching: true).Encode();
        // The body follows the 3-byte handshake header and ends with the extension's empty vector16: give it one byte.
        var body = encoded.AsSpan(3).ToArray();
        var withData = body[..^2].Concat(new byte[] { 0, 1, 0x55 }).ToArray();

        var failure = Assert.Throws<ProtocolViolationException>(() => HandshakeMessages.ServerParams.Decode(withData));

        Assert.Equal(AlertDescription.DecodeError, failure.Alert);
    }

    private static void WriteHeader(Span<byte> content, ulong id, uint length)
    {
        content[0] = (byte)MessageKind.Request;
        content[1] = 0;
        BinaryPrimitives.WriteUInt64BigEndian(content[2..], id);
        BinaryPrimitives.WriteUInt32BigEndian(content[10..], length);
    }
}
