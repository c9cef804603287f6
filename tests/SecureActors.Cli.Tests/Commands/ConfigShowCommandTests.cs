using System.Text.Json;

namespace SecureActors.Cli.Tests.Commands;

// `secure-actors config show FILE` prints the fully resolved configuration as JSON on stdout and exits 0;
// invalid input gets a located error on stderr and a non-zero exit.
public sealed class ConfigShowCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secure-actors-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SecureActorsCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Show_ValidFile_PrintsResolvedJsonWithTypesKept()
    {
        Write("base.conf", "limits { max = 10 }\n");
        var file = Write("app.conf", """
            include "base.conf"
            name = server
            port = 8820
            enabled = on
            timeout = 10s
            buffer = 1 MiB
            ratio = 0.5
            paths = [ /bin ]
            paths += /usr/bin
            greeting = hello ${name}
            """);

        var (exit, output, error) = await RunAsync("config", "show", file);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(10, root.GetProperty("limits").GetProperty("max").GetInt32());
        Assert.Equal(8820, root.GetProperty("port").GetInt32());
        Assert.Equal(0.5, root.GetProperty("ratio").GetDouble());
        Assert.Equal("on", root.GetProperty("enabled").GetString());
        Assert.Equal("10s", root.GetProperty("timeout").GetString());
        Assert.Equal("1 MiB", root.GetProperty("buffer").GetString());
        Assert.Equal(["/bin", "/usr/bin"], root.GetProperty("paths").EnumerateArray().Select(item => item.GetString()));
        Assert.Equal("hello server", root.GetProperty("greeting").GetString());
    }

    [Fact]
    public async Task Show_BooleanAndNull_StayJsonLiterals()
    {
        var file = Write("literals.conf", "yes = true\nno = false\nnothing = null\n");

        var (exit, output, _) = await RunAsync("config", "show", file);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.True, json.RootElement.GetProperty("yes").ValueKind);
        Assert.Equal(JsonValueKind.False, json.RootElement.GetProperty("no").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("nothing").ValueKind);
    }

    [Fact]
    public async Task Show_SyntaxError_PrintsFileLineColumnOnStderrAndFails()
    {
        var file = Write("broken.conf", "a = 1\nb = [1, 2\nc = 3\n");

        var (exit, output, error) = await RunAsync("config", "show", file);

        Assert.NotEqual(0, exit);
        Assert.Equal("", output);
        Assert.Contains($"{file}:3:3", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_UnresolvableSubstitution_NamesTheSubstitutionAndItsLine()
    {
        var file = Write("dangling.conf", "a = 1\nb = ${missing.setting}\n");

        var (exit, _, error) = await RunAsync("config", "show", file);

        Assert.NotEqual(0, exit);
        Assert.Contains($"{file}:2", error, StringComparison.Ordinal);
        Assert.Contains("${missing.setting}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_MissingFile_FailsWithTheFileName()
    {
        var missing = Path.Combine(_directory, "absent.conf");

        var (exit, _, error) = await RunAsync("config", "show", missing);

        Assert.NotEqual(0, exit);
        Assert.Contains("absent.conf", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Override_WinsOverTheFile()
    {
        var file = Write("port.conf", "port = 8820\n");

        var (exit, output, _) = await RunAsync("config", "show", file, "-c", "port=9000");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(9000, json.RootElement.GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task Show_EnvironmentSubstitution_IsConsulted()
    {
        var variable = "SECURE_ACTORS_CLI_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "from-env");
        try
        {
            var file = Write("env.conf", $"value = ${{{variable}}}\noptional = ${{?{variable}_UNSET}}\n");

            var (exit, output, _) = await RunAsync("config", "show", file);

            Assert.Equal(0, exit);
            using var json = JsonDocument.Parse(output);
            Assert.Equal("from-env", json.RootElement.GetProperty("value").GetString());
            Assert.False(json.RootElement.TryGetProperty("optional", out _));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("server.conf", false)]
    [InlineData("server.conf", true)]
    [InlineData("client.conf", false)]
    [InlineData("client.conf", true)]
    [InlineData("load.conf", false)]
    [InlineData("load.conf", true)]
    public async Task Show_ShippedHoconFile_PrintsAJsonObject(string fileName, bool withDefaults)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "SecureActors.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        string[] args = withDefaults
            ? ["config", "show", Path.Combine(root, "hocon", fileName), "--with-defaults"]
            : ["config", "show", Path.Combine(root, "hocon", fileName)];

        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        var hasRuntimeDefaults = json.RootElement.TryGetProperty("actors", out var actors) && actors.TryGetProperty("coordinated-shutdown", out _);
        Assert.Equal(withDefaults, hasRuntimeDefaults);
    }
}
