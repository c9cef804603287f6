using System.Buffers;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Records;

namespace SecureActors.Protocol.Tests.TestSupport;

internal sealed record ReceivedMessage(MessageKind Kind, ulong Id, byte[] Payload, bool Signed);

internal sealed record ReceiveOutcome(List<ReceivedMessage> Messages, bool Closed, ProtocolFailure? Failure, byte[] Responses);

/// <summary>Parses a byte stream into frames and feeds them to a channel, collecting what comes out.</summary>
internal static class ChannelTestSupport
{
    public static List<ReceivedMessage> ReceiveAll(SecureChannel channel, byte[] wire)
    {
        var outcome = Receive(channel, wire);
        Assert.Null(outcome.Failure);
        return outcome.Messages;
    }

    public static ReceiveOutcome Receive(SecureChannel channel, byte[] wire)
    {
        var messages = new List<ReceivedMessage>();
        var responses = new ArrayBufferWriter<byte>();
        var input = new ReadOnlySequence<byte>(wire);
        var closed = false;
        ProtocolFailure? failure = null;
        while (failure is null)
        {
            var status = FrameReader.TryRead(input, out var consumed, out _, out var frame, out var framing);
            if (status == FrameReadStatus.Invalid)
            {
                failure = framing;
                break;
            }

            if (status == FrameReadStatus.Incomplete)
            {
                break;
            }

            foreach (var received in channel.ReceiveAll(frame, responses))
            {
                Collect(received, messages, ref closed, ref failure);
                if (failure is not null)
                {
                    break;
                }
            }

            input = input.Slice(consumed);
        }

        return new ReceiveOutcome(messages, closed, failure, responses.WrittenSpan.ToArray());
    }

    private static void Collect(in ChannelEvent ev, List<ReceivedMessage> messages, ref bool closed, ref ProtocolFailure? failure)
    {
        switch (ev.Kind)
        {
            case ChannelEventKind.Message:
                messages.Add(new ReceivedMessage(ev.MessageKind, ev.Id, ev.Payload.ToArray(), ev.Signed));
                break;
            case ChannelEventKind.Closed:
                closed = true;
                break;
            case ChannelEventKind.Failed:
                failure = ev.Failure;
                break;
        }
    }

    /// <summary>Splits a byte stream into its records (header included).</summary>
    public static List<byte[]> Records(byte[] wire)
    {
        var records = new List<byte[]>();
        var offset = 0;
        while (offset < wire.Length)
        {
            var length = FrameLimits.HeaderLength + ((wire[offset + 1] << 8) | wire[offset + 2]);
            records.Add(wire.AsSpan(offset, length).ToArray());
            offset += length;
        }

        return records;
    }
}
