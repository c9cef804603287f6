using System.IO.Pipelines;
using System.Text;
using SecureActors.Client.Interactive;
using SecureActors.Client.Tests.Support;

namespace SecureActors.Client.Tests.Interactive;

public sealed class InteractiveSessionTests
{
    private static readonly InteractiveSettings Settings = InteractiveSettings.FromConfig(SecureClientOptions.ReferenceConfig);

    [Fact]
    public async Task RunAsync_LinesThenExit_PrintsRepliesAndClosesCleanly()
    {
        await using var server = new TestServer(TestKeys.Server);
        using var output = new StringWriter();
        var session = new InteractiveSession(ClientFactory.Pinned(server), Settings, new StringReader("hello\nworld\nEXIT\nnever sent\n"), output);

        var exitCode = await session.RunAsync(CancellationToken.None);
        var lines = output.ToString().Split(Environment.NewLine);

        Assert.Equal(0, exitCode);
        Assert.Contains(lines, l => l.StartsWith("[+] session ", StringComparison.Ordinal) && l.Contains("established", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("[*] server key SHA256:", StringComparison.Ordinal));
        Assert.Contains("hello", lines);
        Assert.Contains("world", lines);
        Assert.Contains("[+] session closed cleanly", lines);
        Assert.Equal(2, server.RequestsReceived);
        Assert.Equal(1, server.CloseNotifiesReceived);
    }

    [Fact]
    public async Task RunAsync_ServerStaysBusy_ShowsEachRetryThenGivesUpWithAServerBusyLine()
    {
        await using var server = new TestServer(TestKeys.Server);
        server.RefuseNextConnectionsAsBusy(int.MaxValue);
        using var output = new StringWriter();
        var options = ClientFactory.Pinned(server) with { BusyRetries = 2, BusyBackoff = TimeSpan.FromMilliseconds(1), BusyBackoffMax = TimeSpan.FromMilliseconds(5) };
        var session = new InteractiveSession(options, Settings, new StringReader("never sent\n"), output);

        var exitCode = await session.RunAsync(CancellationToken.None);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(1, exitCode);
        Assert.Equal(2, lines.Count(l => l.StartsWith("[*] server busy (at capacity); retrying in ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.EndsWith("(retry 2 of 2)", StringComparison.Ordinal));
        Assert.Equal($"[!] server busy: 127.0.0.1:{server.Port} is at capacity and refused the connection 3 times (retried with backoff); try again later", lines[^1]);
        Assert.Equal(3, server.BusyRefusalsSent);
        Assert.Equal(0, server.RequestsReceived);
    }

    [Fact]
    public async Task RunAsync_EndOfInputWithoutExit_ClosesCleanly()
    {
        await using var server = new TestServer(TestKeys.Server);
        using var output = new StringWriter();
        var session = new InteractiveSession(ClientFactory.Pinned(server), Settings, new StringReader("only line"), output);

        var exitCode = await session.RunAsync(CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Contains("only line" + Environment.NewLine, output.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, server.CloseNotifiesReceived);
    }

    [Fact]
    public async Task RunAsync_InputThroughAPipe_AnswersEachLineAsItArrives()
    {
        await using var server = new TestServer(TestKeys.Server);
        var pipe = new Pipe();
        using var input = new StreamReader(pipe.Reader.AsStream(), Encoding.UTF8);
        using var output = new LineCapture();
        var run = new InteractiveSession(ClientFactory.Pinned(server), Settings, input, output).RunAsync(CancellationToken.None);

        await pipe.Writer.WriteAsync("first\n"u8.ToArray());
        await output.WaitForLineAsync("first");
        await pipe.Writer.WriteAsync("second\nexit\n"u8.ToArray());
        await output.WaitForLineAsync("second");
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(10));
        await pipe.Writer.CompleteAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(2, server.RequestsReceived);
        Assert.Equal(1, server.CloseNotifiesReceived);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaitingForInput_ClosesCleanly()
    {
        await using var server = new TestServer(TestKeys.Server);
        var pipe = new Pipe();
        using var input = new StreamReader(pipe.Reader.AsStream(), Encoding.UTF8);
        using var output = new LineCapture();
        using var ctrlC = new CancellationTokenSource();
        var run = new InteractiveSession(ClientFactory.Pinned(server), Settings, input, output).RunAsync(ctrlC.Token);

        await output.WaitForLineAsync("type a message");
        await ctrlC.CancelAsync();
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(10));
        await pipe.Writer.CompleteAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("[+] session closed cleanly", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, server.CloseNotifiesReceived);
    }

    [Fact]
    public async Task RunAsync_ServerKeyChanged_WarnsWithBothFingerprintsAndSendsNothing()
    {
        await using var server = new TestServer(TestKeys.Server);
        using var output = new StringWriter();
        var options = ClientFactory.Pinned(server.Port, TestKeys.OtherServer.Fingerprint);
        var session = new InteractiveSession(options, Settings, new StringReader("secret\n"), output);

        var exitCode = await session.RunAsync(CancellationToken.None);
        var text = output.ToString();

        Assert.Equal(1, exitCode);
        Assert.Contains("[!] WARNING: THE SERVER KEY HAS CHANGED", text, StringComparison.Ordinal);
        Assert.Contains(TestKeys.OtherServer.Fingerprint, text, StringComparison.Ordinal);
        Assert.Contains(TestKeys.Server.Fingerprint, text, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestsReceived);
    }

    [Fact]
    public async Task RunAsync_ServerClosesSession_ReportsItAndExitsZero()
    {
        await using var server = new TestServer(TestKeys.Server) { Behavior = TestServerBehavior.CloseOnRequest };
        using var output = new StringWriter();
        var session = new InteractiveSession(ClientFactory.Pinned(server), Settings, new StringReader("bye?\n"), output);

        var exitCode = await session.RunAsync(CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Contains("[*] the server closed the session", output.ToString(), StringComparison.Ordinal);
    }
}
