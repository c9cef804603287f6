using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecureActors.Client;
using SecureActors.Client.Interactive;
using SecureActors.Hocon;

namespace SecureActors.Cli.Commands;

/// <summary>
/// <c>secure-actors connect [--host H] [--port N] [--identity KEY] [--server-fingerprint FPR]
/// [--known-hosts FILE] [--known-hosts-mode strict|accept-new] [--config FILE] [-c key=value]…</c>:
/// the interactive client. Reads lines from stdin (a terminal or a pipe) and prints each reply.
/// </summary>
internal static class ConnectCommand
{
    public static Command Build()
    {
        var arguments = new ClientArguments();
        var connect = new Command("connect", "Open an interactive SecureActors session: type a line, get the reply; EXIT, end of input or Ctrl-C closes it cleanly.");
        arguments.AddTo(connect);
        connect.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            if (!arguments.TryLoad(result, [], out var config, out var problem))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"[!] {problem}");
                return 2;
            }

            var session = new InteractiveSession(SecureClientOptions.FromConfig(config), InteractiveSettings.FromConfig(config), Console.In, output);
            return await session.RunAsync(cancellationToken);
        });
        return connect;
    }

    /// <summary>
    /// The options <c>connect</c> and <c>load</c> share. Each becomes a HOCON override layered over
    /// --config and the embedded defaults, so no default is repeated here.
    /// </summary>
    internal sealed class ClientArguments
    {
        private readonly Option<FileInfo?> _config = new("--config") { Description = "A HOCON file layered over the embedded defaults (see hocon/client.conf, hocon/load.conf)." };
        private readonly Option<string[]> _overrides = new("--set", "-c")
        {
            Description = "Override a setting, in HOCON syntax (key=value); repeatable, later ones win.",
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.ZeroOrMore,
        };

        private readonly Option<string?> _host = new("--host") { Description = "Server host (client.host)." };
        private readonly Option<int?> _port = new("--port") { Description = "Server port (client.port)." };
        private readonly Option<string?> _identity = new("--identity") { Description = "PKCS#8 PEM client key for client authentication (client.identity-key)." };
        private readonly Option<string?> _fingerprint = new("--server-fingerprint") { Description = "Pin the server key to this SHA256:… fingerprint (client.server-fingerprint)." };
        private readonly Option<string?> _knownHosts = new("--known-hosts") { Description = "known_hosts file (client.known-hosts)." };
        private readonly Option<string?> _knownHostsMode = new("--known-hosts-mode") { Description = "strict or accept-new (client.known-hosts-mode)." };
        private readonly Option<string[]> _suites = new("--suite") { Description = "Offer only these suites, in order (client.cipher-suites); repeatable.", Arity = ArgumentArity.ZeroOrMore };
        private readonly Option<string[]> _groups = new("--group") { Description = "Offer only these groups, in order (client.groups); repeatable.", Arity = ArgumentArity.ZeroOrMore };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _host, _port, _identity, _fingerprint, _knownHosts, _knownHostsMode, _suites, _groups, _config, _overrides })
            {
                command.Options.Add(option);
            }
        }

        /// <summary>Layers --config, the command's own overrides, the shared options and -c (last wins).</summary>
        public bool TryLoad(ParseResult result, IEnumerable<string> commandOverrides, out Config config, out string? problem)
        {
            var settings = new List<string>(commandOverrides);
            AddString(settings, "client.host", result.GetValue(_host));
            if (result.GetValue(_port) is { } port)
            {
                settings.Add(string.Create(CultureInfo.InvariantCulture, $"client.port = {port}"));
            }

            AddString(settings, "client.identity-key", result.GetValue(_identity));
            AddString(settings, "client.server-fingerprint", result.GetValue(_fingerprint));
            AddString(settings, "client.known-hosts", result.GetValue(_knownHosts));
            AddString(settings, "client.known-hosts-mode", result.GetValue(_knownHostsMode));
            AddList(settings, "client.cipher-suites", result.GetValue(_suites));
            AddList(settings, "client.groups", result.GetValue(_groups));
            if (result.GetValue(_groups) is { Length: > 0 } groups)
            {
                // A share for a group not offered is invalid: send one for the first offered group.
                AddList(settings, "client.key-share-groups", [groups[0]]);
            }

            settings.AddRange(result.GetValue(_overrides) ?? []);
            try
            {
                config = ConfigFactory.Load(result.GetValue(_config)?.FullName, ProductDefaults.Load(), settings);
                SecureClientOptions.FromConfig(config).ToProtocolOptions();
                problem = null;
                return true;
            }
            catch (Exception e) when (e is ConfigException or ArgumentException)
            {
                config = Config.Empty;
                problem = e.Message;
                return false;
            }
        }

        internal static void AddString(List<string> settings, string path, string? value)
        {
            if (value is not null)
            {
                // A JSON string literal is a valid HOCON quoted string, whatever characters it holds.
                settings.Add($"{path} = {JsonSerializer.Serialize(value)}");
            }
        }

        private static void AddList(List<string> settings, string path, string[]? values)
        {
            if (values is { Length: > 0 })
            {
                settings.Add($"{path} = {JsonSerializer.Serialize(values)}");
            }
        }
    }
}
