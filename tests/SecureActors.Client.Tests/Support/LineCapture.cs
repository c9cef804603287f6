using System.Threading.Channels;

namespace SecureActors.Client.Tests.Support;

/// <summary>A writer that keeps every line and lets a test await a line, instead of sleeping.</summary>
internal sealed class LineCapture : StringWriter
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        _lines.Writer.TryWrite(value ?? string.Empty);
    }

    /// <summary>Waits (bounded) for a line containing <paramref name="fragment"/>.</summary>
    public async Task<string> WaitForLineAsync(string fragment, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = await _lines.Reader.ReadAsync(deadline.Token);
            if (line.Contains(fragment, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }
}
