using SecureActors.Actors.Actor;
using SecureActors.Client;
using SecureActors.Client.Interactive;
using SecureActors.Client.Load;
using SecureActors.Hocon;
using SecureActors.Server;

namespace SecureActors.Cli.Tests;

// Every documented file in hocon/ must parse over the product's embedded defaults, resolve, and bind to the
// settings records the code actually reads; so must the defaults alone. A key renamed in code but not in a file
// (or the reverse) fails here, not in front of a user.
public sealed class ShippedConfigurationBindingTests
{
    public static TheoryData<string> UserFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "hocon"), "*.conf").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static string RepositoryRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "SecureActors.sln")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("SecureActors.sln not found above the test binaries");
        }

        return directory;
    }

    private static void BindEverything(Config config)
    {
        Assert.NotNull(ServerSettings.FromConfig(config));
        Assert.NotNull(SecureClientOptions.FromConfig(config));
        Assert.NotNull(LoadSettings.FromConfig(config));
        Assert.NotNull(InteractiveSettings.FromConfig(config));
        Assert.NotNull(ActorSystemSettings.FromConfig(config));
        Assert.NotNull(CoordinatedShutdownSettings.FromConfig(config));
    }

    [Fact]
    public void EmbeddedDefaults_AloneBindEveryLibrarysSettings()
    {
        var defaults = ConfigFactory.Load(null, ProductDefaults.Load(), environment: _ => null);

        BindEverything(defaults);
    }

    [Fact]
    public void HoconFolder_HoldsTheDocumentedUserFiles()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot(), "hocon"), "*.conf").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(["client.conf", "load.conf", "server.conf"], files);
    }

    [Theory]
    [MemberData(nameof(UserFiles))]
    public void UserFile_ParsesOverDefaultsAndBinds(string fileName)
    {
        var path = Path.Combine(RepositoryRoot(), "hocon", fileName);

        var config = ConfigFactory.Load(path, ProductDefaults.Load(), environment: _ => null);

        BindEverything(config);
    }

    [Theory]
    [MemberData(nameof(UserFiles))]
    public void UserFile_OnlyOverridesKeysTheDefaultsDefine(string fileName)
    {
        var path = Path.Combine(RepositoryRoot(), "hocon", fileName);
        var defaults = ConfigFactory.Load(null, ProductDefaults.Load(), environment: _ => null);
        var user = ConfigFactory.ParseFile(path, new ConfigParseOptions { Environment = _ => null });

        var unknown = LeafPaths(user.Root, "").Where(leaf => !defaults.HasPath(leaf) && !IsUnderFreeFormSection(leaf)).ToList();

        Assert.True(unknown.Count == 0, $"{fileName} sets keys no library reads: {string.Join(", ", unknown)}");
    }

    // Deployment and dispatcher sections are keyed by actor path or dispatcher name, so users add new keys there.
    private static bool IsUnderFreeFormSection(string path) =>
        path.StartsWith("actors.actor.deployment.", StringComparison.Ordinal)
        || path.StartsWith("actors.actor.", StringComparison.Ordinal) && path.Contains("-dispatcher.", StringComparison.Ordinal);

    private static IEnumerable<string> LeafPaths(HoconObject obj, string prefix)
    {
        foreach (var (key, value) in obj)
        {
            var path = prefix.Length == 0 ? Quote(key) : $"{prefix}.{Quote(key)}";
            if (value is HoconObject child && child.Count > 0)
            {
                foreach (var leaf in LeafPaths(child, path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    private static string Quote(string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && key.Length > 0 ? key : $"\"{key}\"";
}
