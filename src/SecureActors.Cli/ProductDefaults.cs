using System.Reflection;
using SecureActors.Hocon;

namespace SecureActors.Cli;

/// <summary>
/// The embedded <c>reference.conf</c> of every product library this executable ships, most specific first, each
/// resolved on its own as HOCON's conventions require. Libraries without defaults are skipped.
/// </summary>
internal static class ProductDefaults
{
    private static readonly Assembly[] Libraries =
    [
        typeof(SecureActors.Server.ServerSettings).Assembly,
        typeof(SecureActors.Client.SecureClientOptions).Assembly,
        typeof(SecureActors.Actors.Actor.ActorSystem).Assembly,
        typeof(Config).Assembly,
    ];

    public static IReadOnlyList<Config> Load() =>
        [.. Libraries
            .Where(assembly => assembly.GetManifestResourceInfo(assembly.GetName().Name + ".reference.conf") is not null)
            .Select(ConfigFactory.LoadReference)];
}
