using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace SecureActors.Benchmarks.TlsPeer;

/// <summary>
/// <c>tls-server</c>: the baseline a user would build instead of SecureActors — an SslStream echo
/// server over a socket, written the straightforward way with the BCL only.
/// <code>
/// tls-server [--host 127.0.0.1] [--port 0] --port-file F --cert-out F.cer [--trust-client C.cer]
/// </code>
/// Frames are <c>length u32 (big-endian) ‖ payload</c>; every complete frame in a read is echoed
/// verbatim, all of them in one write (TLS is a byte stream, so several frames may share a record).
/// The RSA-2048 certificate is generated at start and written (public part, DER) to --cert-out for
/// the load client to pin. With --trust-client the server requires that client certificate
/// (mutual TLS). Runs until SIGTERM or SIGINT.
/// </summary>
internal static class TlsEchoServer
{
    /// <summary>Largest payload accepted, as SecureActors' default max-message-size.</summary>
    public const int MaxPayload = 1024 * 1024;

    // One TLS record's worth of plaintext plus the length prefix: a 16 KiB frame fits without growing.
    private const int InitialBuffer = 16 * 1024 + 4;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = Arguments.Parse(args);
        var host = IPAddress.Parse(arguments.String("host") ?? "127.0.0.1");
        var port = arguments.Int("port", 0);
        var portFile = arguments.Required("port-file");
        var certOut = arguments.Required("cert-out");
        var trustClient = arguments.String("trust-client");
        arguments.RejectUnknown();

        using var certificate = PeerTls.CreateCertificate("localhost");
        using var trusted = trustClient is null ? null : PeerTls.LoadPublic(trustClient);
        await File.WriteAllBytesAsync(certOut, certificate.Export(X509ContentType.Cert));
        var options = PeerTls.ServerOptions(certificate, trusted);

        using var stop = new CancellationTokenSource();
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });

        using var listener = new Socket(host.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(host, port));
        listener.Listen(512);
        var bound = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await File.WriteAllTextAsync(portFile + ".tmp", bound.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(portFile + ".tmp", portFile, overwrite: true);
        await Console.Out.WriteLineAsync($"[+] tls peer listening on {host}:{bound} (mutual TLS {(trusted is null ? "off" : "on")})");

        long failures = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var socket = await listener.AcceptAsync(stop.Token);
                socket.NoDelay = true;
                _ = Task.Run(async () =>
                {
                    if (!await ServeAsync(socket, options))
                    {
                        Interlocked.Increment(ref failures);
                    }
                });
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Console.Out.WriteLineAsync($"[*] tls peer stopped; {Interlocked.Read(ref failures)} connections failed");
        return 0;
    }

    /// <summary>Handshakes, echoes until the client closes, answers its close_notify. False when the connection failed.</summary>
    private static async Task<bool> ServeAsync(Socket socket, SslServerAuthenticationOptions options)
    {
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        await using (ssl)
        {
            try
            {
                using (var deadline = new CancellationTokenSource(HandshakeTimeout))
                {
                    await ssl.AuthenticateAsServerAsync(options, deadline.Token);
                }

                await EchoAsync(ssl);
                await ssl.ShutdownAsync();
                return true;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException
                or System.Security.Authentication.AuthenticationException or InvalidDataException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private static async Task EchoAsync(SslStream ssl)
    {
        var buffer = new byte[InitialBuffer];
        var filled = 0;
        while (true)
        {
            var read = await ssl.ReadAsync(buffer.AsMemory(filled));
            if (read == 0)
            {
                return;
            }

            filled += read;
            var complete = 0;
            while (filled - complete >= 4)
            {
                var length = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(complete));
                if (length > MaxPayload)
                {
                    throw new InvalidDataException($"frame of {length} bytes exceeds {MaxPayload}");
                }

                var frame = 4 + (int)length;
                if (filled - complete < frame)
                {
                    if (frame > buffer.Length)
                    {
                        Array.Resize(ref buffer, frame);
                    }

                    break;
                }

                complete += frame;
            }

            if (complete > 0)
            {
                await ssl.WriteAsync(buffer.AsMemory(0, complete));
                buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
                filled -= complete;
            }
        }
    }
}
