using SecureActors.Client.Interactive;
using SecureActors.Protocol.Crypto;
using SecureActors.Server.Tests.Support;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.EndToEnd;

/// <summary>
/// The seed projects' toy cryptography survives only as the opt-in classroom suite: negotiated when both the server's
/// and the client's configuration enable it, and never quietly (the server warns on every use).
/// </summary>
public sealed class ClassroomSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BothSidesEnable_ClassroomSuiteIsNegotiatedAndTheServerWarns()
    {
        var (server, log) = await TestServers.StartAsync(output, "server.protocol.classroom = on");
        await using (server)
        {
            var warnings = 0;
            var options = TestServers.ClientOptions(server) with { EnableClassroom = true, SecurityWarning = _ => Interlocked.Increment(ref warnings) };
            await using var client = await TestServers.ConnectAsync(server, options);

            Assert.Equal("toy", await client.SendAsync("toy"));
            Assert.Equal(CipherSuite.Classroom, client.Suite);
            Assert.Equal(NamedGroup.Classroom, client.Group);
            Assert.True(Volatile.Read(ref warnings) > 0, "the client reported no security warning");
            await Await.UntilAsync(() => log.Messages.Any(m => m.Contains("INSECURE: the classroom suite is in use", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task OnlyTheClientEnables_ARealSuiteIsNegotiated()
    {
        var (server, log) = await TestServers.StartAsync(output);
        await using (server)
        {
            var options = TestServers.ClientOptions(server) with { EnableClassroom = true };
            await using var client = await TestServers.ConnectAsync(server, options);

            Assert.Equal("real", await client.SendAsync("real"));
            Assert.NotEqual(CipherSuite.Classroom, client.Suite);
            Assert.NotEqual(NamedGroup.Classroom, client.Group);
            Assert.DoesNotContain(log.Messages, m => m.Contains("classroom", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task OnlyTheServerEnables_ARealSuiteIsNegotiatedWithoutWarnings()
    {
        var (server, log) = await TestServers.StartAsync(output, "server.protocol.classroom = on");
        await using (server)
        {
            await using var client = await TestServers.ConnectAsync(server);

            Assert.Equal("real", await client.SendAsync("real"));
            Assert.NotEqual(CipherSuite.Classroom, client.Suite);
            Assert.DoesNotContain(log.Messages, m => m.Contains("INSECURE", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task InteractiveClient_ClassroomNegotiated_PrintsInsecureWarningLines()
    {
        var (server, _) = await TestServers.StartAsync(output, "server.protocol.classroom = on");
        await using (server)
        {
            using var terminal = new StringWriter();
            var session = new InteractiveSession(
                TestServers.ClientOptions(server) with { EnableClassroom = true },
                new InteractiveSettings(["EXIT"]),
                new StringReader("hello\nEXIT\n"),
                terminal);

            var exit = await session.RunAsync(CancellationToken.None);

            Assert.Equal(0, exit);
            var lines = terminal.ToString().Split('\n');
            Assert.Contains(lines, line => line.StartsWith("[!] INSECURE", StringComparison.Ordinal));
            Assert.Contains("hello", lines.Select(line => line.TrimEnd('\r')));
        }
    }
}
