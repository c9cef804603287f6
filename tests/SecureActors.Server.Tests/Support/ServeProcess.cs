using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Xunit.Abstractions;

namespace SecureActors.Server.Tests.Support;

/// <summary>
/// Runs the built <c>secure-actors serve</c> as a child process (<c>dotnet secure-actors.dll</c>) and
/// collects its output. Disposing kills the child if it is still alive, so a failing test never
/// leaves a server behind.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ITestOutputHelper _output;

    private ServeProcess(Process process, ITestOutputHelper output)
    {
        _process = process;
        _output = output;
    }

    public ConcurrentQueue<string> StandardOutput { get; } = new();

    public ConcurrentQueue<string> StandardError { get; } = new();

    public int Id => _process.Id;

    /// <summary>The executable the test project's build produced (see the test .csproj).</summary>
    public static string CliPath =>
        typeof(ServeProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SecureActorsCli").Value!;

    public static ServeProcess Start(ITestOutputHelper output, IEnumerable<string> arguments)
    {
        Assert.True(File.Exists(CliPath), $"the CLI was not built at {CliPath}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CliPath);
        info.ArgumentList.Add("serve");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = info };
        var serve = new ServeProcess(process, output);
        process.OutputDataReceived += (_, e) => serve.Collect(serve.StandardOutput, "out", e.Data);
        process.ErrorDataReceived += (_, e) => serve.Collect(serve.StandardError, "err", e.Data);
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return serve;
    }

    /// <summary>Waits (bounded) for the port file the server writes once it listens; fails early if the child exits.</summary>
    public async Task<int> WaitForPortAsync(string portFile, TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!File.Exists(portFile))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"serve exited early ({_process.ExitCode}): {string.Join(" | ", StandardError)}");
            }

            await tick.WaitForNextTickAsync(timeout.Token);
        }

        return int.Parse(File.ReadAllText(portFile).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Sends SIGTERM to this child (and only this child), as a service manager would.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits (bounded) for the child to exit, its output read to the end, and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Collect(ConcurrentQueue<string> lines, string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        try
        {
            _output.WriteLine($"{stream}: {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; late output has nowhere to go.
        }
    }
}
