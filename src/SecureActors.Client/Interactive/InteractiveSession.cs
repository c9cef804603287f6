using System.Text;
using SecureActors.Client.Connection;
using SecureActors.Protocol;

namespace SecureActors.Client.Interactive;

/// <summary>
/// <c>secure-actors connect</c>: the seed projects' line-by-line conversation over a real SAP/1
/// session. Status lines carry the seed markers (<c>[*]</c> information, <c>[+]</c> success,
/// <c>[!]</c> warnings and errors); each reply is printed on its own line, unprefixed, so a script
/// piping lines in can read the replies back. An exit command, end of input or cancellation
/// (Ctrl-C) closes the session with close_notify.
/// </summary>
internal sealed class InteractiveSession
{
    private readonly SecureClientOptions _options;
    private readonly InteractiveSettings _settings;
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private readonly Lock _writeGate = new();

    public InteractiveSession(SecureClientOptions options, InteractiveSettings settings, TextReader input, TextWriter output)
    {
        // The classroom suite must never run quietly: its warnings reach the terminal as [!] lines.
        _options = options.SecurityWarning is null ? options with { SecurityWarning = warning => Status("!", warning) } : options;
        _settings = settings;
        _input = input;
        _output = output;
    }

    /// <summary>Runs the conversation; returns the process exit code (0 after a clean close).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Status("*", $"connecting to {_options.Host}:{_options.Port}");
        SecureClient client;
        try
        {
            client = await SecureClient.ConnectAsync(_options, new BusyRetryPrinter(this), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Status("!", "cancelled before the session was established");
            return 130;
        }
        catch (ServerBusyException ex)
        {
            // Not a fault on either side: say so, so nobody goes looking for a bug.
            Status("!", ex.Message);
            return 1;
        }
        catch (ServerKeyChangedException ex)
        {
            Status("!", "WARNING: THE SERVER KEY HAS CHANGED. Someone may be intercepting this connection.");
            Status("!", $"expected {ex.ExpectedFingerprint}");
            Status("!", $"received {ex.ActualFingerprint}");
            Status("!", "nothing was sent. If the server was re-keyed on purpose, remove its old known_hosts entry.");
            return 1;
        }
        catch (SecureClientException ex)
        {
            Status("!", ex.Message);
            return 1;
        }

        await using (client.ConfigureAwait(false))
        {
            Status("*", $"server key {client.ServerFingerprint}");
            if (client.TrustMessage is { } trust)
            {
                Status("*", trust);
            }

            Status("+", $"session {client.SessionId} established: {Describe(client)}");
            Status("*", $"type a message and press Enter; {string.Join(" or ", _settings.ExitCommands)} (or end of input) closes the session");
            var pushes = PrintPushesAsync(client);
            var exitCode = await ConverseAsync(client, cancellationToken).ConfigureAwait(false);
            await pushes.ConfigureAwait(false);
            return exitCode;
        }
    }

    private async Task<int> ConverseAsync(SecureClient client, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line;
            try
            {
                line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Status("*", "interrupted");
                return await CloseAsync(client).ConfigureAwait(false);
            }

            if (line is null || _settings.ExitCommands.Contains(line.Trim()))
            {
                return await CloseAsync(client).ConfigureAwait(false);
            }

            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                var reply = await client.SendAsync(line, cancellationToken).ConfigureAwait(false);
                Line(reply);
            }
            catch (OperationCanceledException)
            {
                Status("*", "interrupted");
                return await CloseAsync(client).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                Status("!", ex.Message);
            }
            catch (SecureClientTimeoutException ex)
            {
                Status("!", ex.Message);
            }
            catch (SecureClientException ex)
            {
                return Ended(client, ex);
            }
        }
    }

    private async Task<int> CloseAsync(SecureClient client)
    {
        Status("*", "closing the session (close_notify)");
        try
        {
            await client.CloseAsync(CancellationToken.None).ConfigureAwait(false);
            Status("+", "session closed cleanly");
            return 0;
        }
        catch (SecureClientException ex)
        {
            return Ended(client, ex);
        }
    }

    private int Ended(SecureClient client, SecureClientException error)
    {
        if (client.TerminationReason is SecureClientException { Alert: AlertDescription.CloseNotify, ReceivedFromServer: true })
        {
            Status("*", "the server closed the session");
            return 0;
        }

        Status("!", error.Message);
        return 1;
    }

    /// <summary>
    /// Reads one line on a worker thread: console and pipe readers block synchronously even in their
    /// async methods, and Ctrl-C must not wait for the user to press Enter.
    /// </summary>
    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var read = Task.Run(_input.ReadLine, CancellationToken.None);
        return await read.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PrintPushesAsync(SecureClient client)
    {
        await foreach (var push in client.PushedMessages.ReadAllAsync().ConfigureAwait(false))
        {
            Status("*", "pushed: " + Encoding.UTF8.GetString(push.Span));
        }
    }

    private static string Describe(SecureClient client) =>
        $"{SecureClientOptions.ToKebab(client.Suite.ToString())}, {client.Group.ToString().ToLowerInvariant()}"
        + (client.MessageSignatures ? ", every message signed (replies verified before they are shown)" : "");

    private void Status(string marker, string message) => Line($"[{marker}] {message}");

    /// <summary>Shows each busy retry as it is scheduled, so a waiting user knows why nothing happens yet.</summary>
    private sealed class BusyRetryPrinter(InteractiveSession session) : IBusyRetryObserver
    {
        public void Refused(int attempt, TimeSpan? retryIn)
        {
            if (retryIn is { } wait)
            {
                session.Status("*", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"server busy (at capacity); retrying in {wait.TotalMilliseconds:0} ms (retry {attempt} of {session._options.BusyRetries})"));
            }
        }
    }

    private void Line(string text)
    {
        lock (_writeGate)
        {
            _output.WriteLine(text);
            _output.Flush();
        }
    }
}
