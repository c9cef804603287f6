using System.Globalization;
using SecureActors.Client.Load;
using Spectre.Console;

namespace SecureActors.Client.Reporting;

/// <summary>One <c>secure-actors load</c> run end to end: banner, live progress, final report, optional JSON and HTML files.</summary>
internal static class LoadProgram
{
    /// <returns>The exit code: 0 for a clean run, 1 otherwise, 2 when the run could not start (an unreadable known_hosts or key file).</returns>
    public static async Task<int> RunAsync(
        SecureClientOptions clientOptions, LoadSettings settings, TextWriter output, bool interactive,
        string? jsonPath, string? htmlPath, CancellationToken cancellationToken)
    {
        var console = ConsoleReport.CreateConsole(output, interactive);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[*] load: {settings.Connections} sessions against {clientOptions.Host}:{clientOptions.Port}, bounded by {settings.EffectiveDuration.TotalSeconds:0.#} s and {settings.TotalMessageBudget} messages"));
        LoadRunner created;
        try
        {
            created = new LoadRunner(clientOptions, settings);
        }
        catch (SecureClientException e)
        {
            // The trust and key files are read once, before any session: a bad line there is the user's input, not a failed run.
            console.WriteLine($"[!] {e.Message}");
            return 2;
        }

        using var runner = created;
        if (runner.WarmupSettings is { } warmup)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[*] warm-up first: {warmup.Connections} sessions × {warmup.MessagesPerConnection}, not measured"));
        }

        LoadReport report;
        try
        {
            report = await ConsoleReport.ShowProgressAsync(console, runner, runner.RunAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (LoadWarmupException e)
        {
            console.WriteLine($"[!] {e.Message}");
            return 1;
        }

        ConsoleReport.WriteFinal(console, report);
        if (jsonPath is not null)
        {
            await JsonReport.WriteAsync(report, jsonPath, CancellationToken.None).ConfigureAwait(false);
            console.WriteLine($"[*] JSON report written to {jsonPath}");
        }

        if (htmlPath is not null)
        {
            await HtmlReport.WriteAsync(report, htmlPath, CancellationToken.None).ConfigureAwait(false);
            console.WriteLine($"[*] HTML report written to {htmlPath}");
        }

        return report.ExitCode;
    }
}
