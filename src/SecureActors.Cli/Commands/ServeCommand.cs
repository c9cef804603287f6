using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureActors.Hocon;
using SecureActors.Protocol.Identity;
using SecureActors.Server;
using SecureActors.Server.Hosting;
using Serilog.Events;

namespace SecureActors.Cli.Commands;

/// <summary><c>secure-actors serve [--config FILE] [-c key=value]… [--port N] [--port-file FILE]</c>: runs the server until Ctrl-C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var configFile = new Option<FileInfo?>("--config") { Description = "A HOCON file layered over the embedded defaults (see hocon/server.conf)." };
        var overrides = new Option<string[]>("--set", "-c")
        {
            Description = "Override a setting, in HOCON syntax (key=value); repeatable, later ones win.",
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.ZeroOrMore,
        };
        var port = new Option<int?>("--port") { Description = "Port to listen on (overrides server.port; 0 picks a free port)." };
        var portFile = new Option<FileInfo?>("--port-file") { Description = "Write the bound port to this file once listening (for scripts and tests)." };

        var serve = new Command("serve", "Run the SecureActors server until Ctrl-C or SIGTERM (graceful shutdown, exit code 0).")
        {
            configFile, overrides, port, portFile,
        };
        serve.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            Config config;
            try
            {
                var settings = (result.GetValue(overrides) ?? []).ToList();
                if (result.GetValue(port) is { } chosen)
                {
                    settings.Add(string.Create(CultureInfo.InvariantCulture, $"server.port = {chosen}"));
                }

                config = ConfigFactory.Load(result.GetValue(configFile)?.FullName, ProductDefaults.Load(), settings);
                _ = ServerSettings.FromConfig(config);
                foreach (var (path, origin) in ServerSettings.UnknownSettings(config))
                {
                    // A warning, not an error: a setting from a newer or older release should not stop a server.
                    await error.WriteLineAsync($"[!] {origin}: unknown setting {path}; it has no effect (docs/CONFIGURATION.md lists the settings)");
                }
            }
            catch (ConfigException e)
            {
                await error.WriteLineAsync($"[!] {e.Message}");
                return 1;
            }

            return await RunAsync(config, result.GetValue(portFile), error, cancellationToken);
        });
        return serve;
    }

    private static async Task<int> RunAsync(Config config, FileInfo? portFile, TextWriter error, CancellationToken cancellationToken)
    {
        using var logger = ConsoleLog.Create(LevelOf(config.GetString("actors.loglevel")));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.AddSecureActorsServer(config, new SecureServerOptions { Logger = logger }, server =>
        {
            if (server.KeyGenerated)
            {
                logger.ForContext("Marker", "[+]").Information("generated the server identity key at {KeyFile} (mode 0600)", server.KeyFile);
            }

            logger.Information("server key fingerprint {Fingerprint}", server.Fingerprint);
            logger.ForContext("Marker", "[+]").Information(
                "listening on {Endpoint} (client auth {ClientAuth}); Ctrl-C to stop",
                server.Endpoint.ToString(),
                config.GetString("server.client-auth.policy"));
            if (portFile is not null)
            {
                WritePortFile(portFile.FullName, server.Endpoint.Port);
            }
        });

        try
        {
            using var host = builder.Build();
            await host.RunAsync(cancellationToken);
            logger.Information("server stopped");
            return 0;
        }
        catch (Exception e) when (e is BindFailedException or KeyFileException or IOException or UnauthorizedAccessException or FormatException or ConfigException)
        {
            await error.WriteLineAsync($"[!] {e.Message}");
            return 1;
        }
    }

    /// <summary>Writes the port atomically (temp file, then rename) so a script polling the file never reads it half-written.</summary>
    private static void WritePortFile(string path, int port)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, port.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    private static LogEventLevel LevelOf(string level) => level.Trim().ToUpperInvariant() switch
    {
        "DEBUG" => LogEventLevel.Debug,
        "WARNING" or "WARN" => LogEventLevel.Warning,
        "ERROR" => LogEventLevel.Error,
        "OFF" => LogEventLevel.Fatal,
        _ => LogEventLevel.Information,
    };
}
