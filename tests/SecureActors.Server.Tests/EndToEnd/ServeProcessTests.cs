using System.Net;
using System.Net.Sockets;
using SecureActors.Client;
using SecureActors.Protocol;
using SecureActors.Protocol.Identity;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.EndToEnd;

/// <summary>The real executable: `secure-actors serve` as a child process, stopped by SIGTERM as a service manager would.</summary>
public sealed class ServeProcessTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("secure-actors-serve-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static string[] Arguments(string port, string portFile, string keyFile) =>
    [
        "--port", port,
        "--port-file", portFile,
        "-c", $"server.identity.key-file = \"{keyFile}\"",
        "-c", "server.stats.enabled = off",
        "-c", "server.shutdown.drain-timeout = 3 s",
        "-c", "server.session.close-notify-timeout = 1 s",
    ];

    [Fact]
    public async Task Serve_SigtermWithPipelinedRequestsInFlight_EveryReplyArrivesOrTheClientIsToldAndExitCodeIsZero()
    {
        var keyFile = Path.Combine(_directory.FullName, "server_key.pem");
        var portFile = Path.Combine(_directory.FullName, "port");
        using var identity = KeyFile.Generate(keyFile, 2048);
        await using var serve = ServeProcess.Start(output, Arguments("0", portFile, keyFile));
        var port = await serve.WaitForPortAsync(portFile, Bound);
        var options = SecureClientOptions.Default with
        {
            Host = "127.0.0.1",
            Port = port,
            ServerFingerprint = identity.Fingerprint,
            RequestTimeout = Bound,
        };
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SecureClient.ConnectAsync(options)));
        try
        {
            // Mid-conversation: one round trip each, then a pipeline still in flight when SIGTERM lands.
            Assert.All(await Task.WhenAll(clients.Select((c, n) => c.SendAsync($"hello {n}"))), (reply, n) => Assert.Equal($"hello {n}", reply));
            var inFlight = clients.SelectMany((client, n) => Enumerable.Range(0, 200).Select(i => (Expected: $"{n}-{i}", Reply: client.SendAsync($"{n}-{i}")))).ToList();

            await serve.TerminateAsync();

            var exitCode = await serve.WaitForExitAsync(Bound);
            var answered = 0;
            foreach (var (expected, reply) in inFlight)
            {
                try
                {
                    Assert.Equal(expected, await reply.WaitAsync(Bound));
                    answered++;
                }
                catch (SecureClientException e) when (e is not SecureClientTimeoutException)
                {
                    // Told: the session ended with close_notify before this reply, never silently dropped.
                }
            }

            foreach (var client in clients)
            {
                await client.Completion.WaitAsync(Bound);
                var reason = Assert.IsType<SecureClientException>(client.TerminationReason, exactMatch: false);
                Assert.Equal(AlertDescription.CloseNotify, reason.Alert);
                Assert.True(reason.ReceivedFromServer);
            }

            output.WriteLine($"{answered} of {inFlight.Count} pipelined requests answered before close_notify");
            Assert.Equal(0, exitCode);
            Assert.Contains(serve.StandardOutput, line => line.Contains(identity.Fingerprint, StringComparison.Ordinal));
            Assert.Contains(serve.StandardOutput, line => line.StartsWith("[*] server stopped", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Serve_PortAlreadyTaken_ExitsWithOneAndAClearMessage()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var taken = ((IPEndPoint)squatter.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var keyFile = Path.Combine(_directory.FullName, "server_key.pem");
        using (KeyFile.Generate(keyFile, 2048))
        {
        }

        await using var serve = ServeProcess.Start(output, Arguments(taken, Path.Combine(_directory.FullName, "port"), keyFile));

        var exitCode = await serve.WaitForExitAsync(Bound);

        Assert.Equal(1, exitCode);
        Assert.Contains(serve.StandardError, line => line.StartsWith("[!] ", StringComparison.Ordinal) && line.Contains("already in use", StringComparison.Ordinal) && line.Contains(taken, StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_directory.FullName, "port")));
    }
}
