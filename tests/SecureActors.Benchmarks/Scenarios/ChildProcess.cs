using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SecureActors.Benchmarks.Scenarios;

/// <summary>
/// A process the runner started: output goes to a log file, and disposal stops it by its PID
/// (SIGTERM, then SIGKILL after a grace period). The runner never signals anything it did not start.
/// If the runner itself is stopped by SIGTERM or SIGINT, <see cref="StopAllOnTermination"/> stops
/// every child still running, so no server is left holding a port behind it.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopGraceOnTermination = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<ChildProcess, byte> Running = new();
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private bool _logClosed;

    private ChildProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ChildProcess Start(IReadOnlyList<string> command, string logPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        log.WriteLine($"$ {string.Join(' ', command)}");
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, log);
        process.OutputDataReceived += (_, e) => child.Log(e.Data);
        process.ErrorDataReceived += (_, e) => child.Log(e.Data);
        process.Start();
        Running[child] = 0;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs <paramref name="command"/> to completion within <paramref name="timeout"/>; returns its exit code, or null if it had to be killed.</summary>
    public static async Task<int?> RunAsync(IReadOnlyList<string> command, string logPath, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var child = Start(command, logPath, environment);
        await using (child)
        {
            return await child.WaitAsync(timeout) ? child.ExitCode : null;
        }
    }

    public async Task<bool> WaitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits for a file the process writes once ready (a port file); false if it exits or the time runs out first.</summary>
    public async Task<string?> WaitForFileAsync(string path, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && !_process.HasExited)
        {
            if (File.Exists(path) && (await File.ReadAllTextAsync(path)).Trim() is { Length: > 0 } text)
            {
                return text;
            }

            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>Registers the SIGTERM/SIGINT handlers; dispose the result when the run is over.</summary>
    public static IDisposable StopAllOnTermination()
    {
        var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => StopAllRunning());
        var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => StopAllRunning());
        return new Registrations(onTerm, onInt);
    }

    // Runs on the signal's thread; the runner then terminates as the signal asks.
    private static void StopAllRunning()
    {
        var children = Running.Keys.ToList();
        foreach (var child in children)
        {
            child.SignalTerminate();
        }

        foreach (var child in children)
        {
            try
            {
                if (!child._process.WaitForExit(StopGraceOnTermination))
                {
                    child._process.Kill();
                }
            }
            catch (InvalidOperationException)
            {
                // Already reaped.
            }
        }
    }

    private void SignalTerminate()
    {
        try
        {
            if (!_process.HasExited)
            {
                using var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
                term?.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(this, out _);
        try
        {
            if (!_process.HasExited)
            {
                SignalTerminate();
                if (!await WaitAsync(StopGrace))
                {
                    _process.Kill();
                    await _process.WaitForExitAsync();
                }
            }
            else
            {
                // Let the asynchronous output readers reach end of stream.
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            _process.Dispose();
            lock (_logGate)
            {
                _logClosed = true;
                _log.Dispose();
            }
        }
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }

    private sealed class Registrations(params IDisposable[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
