using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureActors.Hocon;

namespace SecureActors.Server.Hosting;

/// <summary>Runs a <see cref="SecureServer"/> inside a Microsoft.Extensions.Hosting host.</summary>
public static class ServerHostingExtensions
{
    /// <summary>
    /// Adds the server as a hosted service: it starts with the host (a bind failure fails the host's
    /// start) and stops gracefully (coordinated shutdown) when the host stops — Ctrl-C and SIGTERM
    /// under the console lifetime.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="config">User configuration layered over the embedded defaults.</param>
    /// <param name="options">Handler, logger and identity to plug in.</param>
    /// <param name="onStarted">Called once the server listens (e.g. to print its endpoint).</param>
    public static IServiceCollection AddSecureActorsServer(this IServiceCollection services, Config config, SecureServerOptions? options = null, Action<SecureServer>? onStarted = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        return services.AddSingleton<IHostedService>(new ServerHostedService(config, options ?? new SecureServerOptions(), onStarted));
    }

    private sealed class ServerHostedService(Config config, SecureServerOptions options, Action<SecureServer>? onStarted) : IHostedService
    {
        private SecureServer? _server;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            _server = await SecureServer.StartAsync(config, options, cancellationToken).ConfigureAwait(false);
            onStarted?.Invoke(_server);
        }

        public Task StopAsync(CancellationToken cancellationToken) => _server?.StopAsync() ?? Task.CompletedTask;
    }
}
