namespace SecureActors.Hocon.Tests;

/// <summary>Shortcuts shared by the spec-section tests: parse with no process environment, render compact JSON.</summary>
internal static class Hocon
{
    public static ConfigParseOptions Isolated(string origin = "test.conf") =>
        new() { OriginDescription = origin, Environment = _ => null };

    public static Config Parse(string text) => ConfigFactory.ParseString(text, Isolated());

    public static string Json(string text) => Parse(text).ToJson(indented: false);

    public static HoconParseException ParseError(string text) => Assert.Throws<HoconParseException>(() => Parse(text));

    public static HoconResolveException ResolveError(string text) => Assert.Throws<HoconResolveException>(() => Parse(text));

    /// <summary>Asserts that <paramref name="text"/> is rejected with some ConfigException (parse or resolve).</summary>
    public static ConfigException Rejected(string text)
    {
        var error = Record.Exception(() => Parse(text));
        Assert.NotNull(error);
        return Assert.IsAssignableFrom<ConfigException>(error);
    }

    public static void SameAs(string expected, string actual) => Assert.Equal(Json(expected), Json(actual));
}

/// <summary>A temporary directory of configuration files, deleted when the test ends.</summary>
internal sealed class TempConfigDirectory : IDisposable
{
    public TempConfigDirectory() => Path = Directory.CreateTempSubdirectory("hocon-tests-").FullName;

    public string Path { get; }

    public string Write(string relativePath, string text)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
