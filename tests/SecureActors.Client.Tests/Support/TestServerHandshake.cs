using System.IO.Pipelines;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;

namespace SecureActors.Client.Tests.Support;

/// <summary>
/// The server half of a handshake for the test servers: the protocol's own state machine driven
/// over a socket, with every crypto operation run inline.
/// </summary>
internal static class TestServerHandshake
{
    /// <summary>Reads the client's magic; false when the bytes are not SAP/1 or the stream ends first.</summary>
    public static async Task<bool> ReadPrologueAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var status = Prologue.TryRead(read.Buffer, out var consumed, out var examined);
            reader.AdvanceTo(consumed, examined);
            if (status != FrameReadStatus.Incomplete)
            {
                return status == FrameReadStatus.Complete;
            }

            if (read.IsCompleted)
            {
                return false;
            }
        }
    }

    /// <summary>Feeds frames to <paramref name="machine"/> and writes what it answers; the result, or null if it failed or the client left.</summary>
    public static async Task<HandshakeResult?> RunAsync(ServerHandshake machine, PipeReader reader, Stream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (FrameReader.TryRead(buffer, out var consumed, out _, out var frame, out _) == FrameReadStatus.Complete)
            {
                var step = machine.Feed(frame);
                buffer = buffer.Slice(consumed);
                while (true)
                {
                    await stream.WriteAsync(step.Output, cancellationToken);
                    if (step.Status == HandshakeStatus.AwaitingCrypto && step.Operation is { } operation)
                    {
                        step = machine.Complete(operation.Execute());
                        continue;
                    }

                    break;
                }

                if (step.Status is HandshakeStatus.Complete or HandshakeStatus.Failed)
                {
                    reader.AdvanceTo(buffer.Start);
                    return step.Result;
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                return null;
            }
        }
    }
}
