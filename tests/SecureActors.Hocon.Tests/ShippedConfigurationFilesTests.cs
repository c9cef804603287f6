namespace SecureActors.Hocon.Tests;

// Issue #2: the repository's hocon/ examples and every library's embedded reference.conf must parse and resolve
// on their own (a reference.conf is resolved by itself, per HOCON.md "Conventional configuration files").
public sealed class ShippedConfigurationFilesTests
{
    public static TheoryData<string> Files()
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "SecureActors.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        var data = new TheoryData<string>();
        if (root is null)
        {
            return data;
        }

        var examples = Path.Combine(root, "hocon");
        var files = Directory.GetFiles(Path.Combine(root, "src"), "reference.conf", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(Directory.Exists(examples) ? Directory.GetFiles(examples, "*.conf", SearchOption.AllDirectories) : []);
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ShippedFile_ParsesAndResolves(string relativePath)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "SecureActors.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var config = ConfigFactory.ParseFile(Path.Combine(root, relativePath), new ConfigParseOptions { Environment = _ => null });
        Assert.NotNull(config.ToJson());
    }
}
