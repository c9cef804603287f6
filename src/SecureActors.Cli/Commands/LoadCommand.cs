using System.CommandLine;
using System.Globalization;
using SecureActors.Client;
using SecureActors.Client.Load;
using SecureActors.Client.Reporting;

namespace SecureActors.Cli.Commands;

/// <summary>
/// <c>secure-actors load</c>: the bundled load client. Every option maps onto a <c>client.load.*</c>
/// key (defaults and hard bounds in the client's reference.conf). Exit code 0 only for a clean run,
/// 1 when any reply was lost, duplicated, corrupted or reordered or a session failed, 2 for bad options.
/// </summary>
internal static class LoadCommand
{
    public static Command Build()
    {
        var arguments = new ConnectCommand.ClientArguments();
        var connections = new Option<int?>("--connections") { Description = "Concurrent sessions (client.load.connections)." };
        var messages = new Option<long?>("--messages") { Description = "Messages per session; 0 = until --duration (client.load.messages). With --handshake-only: handshakes per session." };
        var size = new Option<string?>("--size") { Description = "Message size in bytes, or a range MIN-MAX drawn uniformly (client.load.size, size-max)." };
        var pipeline = new Option<int?>("--pipeline") { Description = "Requests in flight per session (client.load.pipeline)." };
        var duration = new Option<string?>("--duration") { Description = "Stop sending after this long, e.g. 10s (client.load.duration)." };
        var rampUp = new Option<string?>("--ramp-up") { Description = "Open the sessions evenly over this time (client.load.ramp-up)." };
        var rate = new Option<double?>("--rate") { Description = "Open-loop target messages/s over all sessions; 0 = closed loop (client.load.rate)." };
        var handshakeOnly = new Option<bool>("--handshake-only") { Description = "Only connect, handshake and close (client.load.handshake-only)." };
        var reconnectEvery = new Option<long?>("--reconnect-every") { Description = "Reconnect each session after this many messages (client.load.reconnect-every)." };
        var startTogether = new Option<bool>("--start-together") { Description = "Closed loop: connect every session first; sending and the clock start when the last is up (client.load.start-together)." };
        var warmup = new Option<long?>("--warmup") { Description = "Before measuring, min(connections, 20) sessions of the same shape send this many messages each, unmeasured (client.load.warmup)." };
        var json = new Option<FileInfo?>("--json") { Description = "Write the report as JSON (schema secure-actors/load-report/v1) to this file." };
        var html = new Option<FileInfo?>("--html") { Description = "Write a self-contained HTML report with SVG charts to this file." };

        var load = new Command("load", "Stress a SecureActors server with many verified sessions; always bounded; exit code 0 only for a clean run.")
        {
            connections, messages, size, pipeline, duration, rampUp, rate, handshakeOnly, reconnectEvery, startTogether, warmup, json, html,
        };
        arguments.AddTo(load);
        load.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var settings = new List<string>();
            Add(settings, "connections", result.GetValue(connections));
            Add(settings, "messages", result.GetValue(messages));
            Add(settings, "pipeline", result.GetValue(pipeline));
            Add(settings, "rate", result.GetValue(rate));
            Add(settings, "reconnect-every", result.GetValue(reconnectEvery));
            Add(settings, "warmup", result.GetValue(warmup));
            ConnectCommand.ClientArguments.AddString(settings, "client.load.duration", result.GetValue(duration));
            ConnectCommand.ClientArguments.AddString(settings, "client.load.ramp-up", result.GetValue(rampUp));
            if (result.GetValue(handshakeOnly))
            {
                settings.Add("client.load.handshake-only = on");
            }

            if (result.GetValue(startTogether))
            {
                settings.Add("client.load.start-together = on");
            }

            if (result.GetValue(size) is { } sizeText)
            {
                var parts = sizeText.Split('-', 2, StringSplitOptions.TrimEntries);
                ConnectCommand.ClientArguments.AddString(settings, "client.load.size", parts[0]);
                ConnectCommand.ClientArguments.AddString(settings, "client.load.size-max", parts.Length > 1 ? parts[1] : "0");
            }

            if (!arguments.TryLoad(result, settings, out var config, out var problem))
            {
                await error.WriteLineAsync($"[!] {problem}");
                return 2;
            }

            LoadSettings loadSettings;
            try
            {
                loadSettings = LoadSettings.FromConfig(config);
                loadSettings.Validate();
            }
            catch (Exception e) when (e is ArgumentException or Hocon.ConfigException)
            {
                await error.WriteLineAsync($"[!] {e.Message}");
                return 2;
            }

            var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            return await LoadProgram.RunAsync(
                SecureClientOptions.FromConfig(config), loadSettings, output, interactive,
                result.GetValue(json)?.FullName, result.GetValue(html)?.FullName, cancellationToken);
        });
        return load;
    }

    private static void Add<T>(List<string> settings, string key, T? value)
        where T : struct, IFormattable
    {
        if (value is { } set)
        {
            settings.Add($"client.load.{key} = {set.ToString(null, CultureInfo.InvariantCulture)}");
        }
    }
}
