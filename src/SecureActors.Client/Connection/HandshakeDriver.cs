using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using SecureActors.Protocol;
using SecureActors.Protocol.Crypto;
using SecureActors.Protocol.Framing;
using SecureActors.Protocol.Handshake;

namespace SecureActors.Client.Connection;

/// <summary>
/// Runs the client handshake machine over a socket. The machine does no I/O; the client executes its
/// crypto operations inline (there is no worker pool to share on this side), writes each step's output
/// and feeds it the server's frames until it completes or fails.
/// </summary>
internal static class HandshakeDriver
{
    // A client usually talks to a handful of servers; more distinct keys than this on one thread
    // only means an occasional re-import.
    private const int ServerKeyCapacity = 16;

    // Per thread, because an imported RSA key is not documented as safe for concurrent use, and the
    // verification runs synchronously on whichever pool thread resumed the handshake. A client that
    // reconnects to the same server skips the import (≈ 120–170 µs on OpenSSL 3, several times the
    // verification it serves).
    [ThreadStatic]
    private static PeerKeyCache? t_serverKeys;

    /// <summary>
    /// Returns the established session, or the failure (whose alert has already been sent) and whether
    /// it came with the server's first record: a server_busy refusal counts only there (PROTOCOL.md §4).
    /// Bytes the server sent after its last handshake record stay in <paramref name="reader"/> for the
    /// record layer.
    /// </summary>
    public static async Task<(HandshakeResult? Result, ProtocolFailure? Failure, bool OnFirstRecord)> RunAsync(
        ClientHandshake machine, Socket socket, PipeReader reader, CancellationToken cancellationToken)
    {
        var recordsFed = 0;
        var step = await AdvanceAsync(machine, machine.Start(), socket, cancellationToken).ConfigureAwait(false);
        while (step.Status is HandshakeStatus.NeedInput or HandshakeStatus.AwaitingCrypto)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            while (true)
            {
                var status = FrameReader.TryRead(buffer, out var consumed, out _, out var frame, out var failure);
                if (status == FrameReadStatus.Incomplete)
                {
                    break;
                }

                if (status == FrameReadStatus.Invalid)
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    await SendAlertAsync(socket, failure!.Alert, cancellationToken).ConfigureAwait(false);
                    return (null, failure, false);
                }

                // Feed copies what it keeps, so the frame may slice the pipe's buffer.
                recordsFed++;
                step = machine.Feed(frame);
                buffer = buffer.Slice(consumed);
                step = await AdvanceAsync(machine, step, socket, cancellationToken).ConfigureAwait(false);
                if (step.Status is HandshakeStatus.Complete or HandshakeStatus.Failed)
                {
                    // Anything after the last handshake record belongs to the record layer: leave it unexamined.
                    reader.AdvanceTo(buffer.Start);
                    return (step.Result, step.Failure, recordsFed == 1);
                }
            }

            if (read.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new SecureClientConnectionException(
                    $"the server closed the connection during the handshake (state {machine.StateName})");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }

        return (step.Result, step.Failure, recordsFed == 1);
    }

    private static async Task<HandshakeStep> AdvanceAsync(ClientHandshake machine, HandshakeStep step, Socket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!step.Output.IsEmpty)
            {
                await SendAllAsync(socket, step.Output, cancellationToken).ConfigureAwait(false);
            }

            if (step.Status != HandshakeStatus.AwaitingCrypto || step.Operation is null)
            {
                return step;
            }

            var result = step.Operation is VerifyOperation verify
                ? verify.Execute(t_serverKeys ??= new PeerKeyCache(ServerKeyCapacity))
                : step.Operation.Execute();
            step = machine.Complete(result);
        }
    }

    private static async Task SendAlertAsync(Socket socket, AlertDescription alert, CancellationToken cancellationToken)
    {
        var output = new ArrayBufferWriter<byte>(FrameLimits.HeaderLength + 2);
        FrameWriter.WritePlaintext(output, RecordType.Alert, [2, (byte)alert]);
        await SendAllAsync(socket, output.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }
}
