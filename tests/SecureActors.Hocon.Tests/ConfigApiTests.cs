namespace SecureActors.Hocon.Tests;

// The Config API (HOCON.md "API Recommendations" and issue #2): typed getters whose errors name the path, the type
// that was expected and the file:line of the value; key enumeration; layered loading of embedded reference.conf,
// a user file and -c overrides.
public sealed class ConfigApiTests : IDisposable
{
    private readonly TempConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void WrongType_NamesPathExpectedTypeAndLine()
    {
        var file = _directory.Write("app.conf", "server {\n  port = eighty\n}");
        var error = Assert.Throws<ConfigWrongTypeException>(() => ConfigFactory.ParseFile(file).GetInt("server.port"));
        Assert.Contains("server.port", error.Message, StringComparison.Ordinal);
        Assert.Contains("int", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{file}:2", error.Message, StringComparison.Ordinal);
        Assert.Equal("server.port", error.Path);
    }

    [Fact]
    public void Missing_NamesPathAndNearestObject()
    {
        var error = Assert.Throws<ConfigMissingException>(() => Hocon.Parse("a {\n  b = 1\n}").GetString("a.c"));
        Assert.Contains("'a.c'", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.conf:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathThroughScalar_IsWrongTypeObject() =>
        Assert.Contains("object", Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse("a = 1").GetString("a.b")).Message, StringComparison.Ordinal);

    [Fact]
    public void HasPath_IsFalseForNullAndMissing()
    {
        var config = Hocon.Parse("a = null, b = 1");
        Assert.False(config.HasPath("a"));
        Assert.False(config.HasPath("c.d"));
        Assert.True(config.HasPath("b"));
    }

    [Fact]
    public void GetKeys_ListsKeysInWrittenOrder() => Assert.Equal(["z", "y"], Hocon.Parse("o { z = 1, y = 2 }").GetKeys("o"));

    [Fact]
    public void GetConfig_ReadsRelativePaths() => Assert.Equal(2, Hocon.Parse("a.b.c = 2").GetConfig("a").GetInt("b.c"));

    [Fact]
    public void GetConfigList_ReadsObjects() => Assert.Equal(["x", "y"], Hocon.Parse("l = [{n = x}, {n = y}]").GetConfigList("l").Select(item => item.GetString("n")));

    [Fact]
    public void GetConfigList_OfScalars_IsWrongType() => Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse("l = [1]").GetConfigList("l"));

    [Fact]
    public void GetDouble_ReadsNumbers() => Assert.Equal(3.14, Hocon.Parse("pi = 3.14").GetDouble("pi"));

    [Fact]
    public void Root_ExposesResolvedTree() => Assert.Equal(HoconType.Object, Hocon.Parse("a = 1").Root.Type);

    [Fact]
    public void LoadReference_ReadsEmbeddedDefaultsResolved()
    {
        var reference = ConfigFactory.LoadReference(typeof(ConfigApiTests).Assembly);
        Assert.Equal("localhost:8080", reference.GetString("server.address"));
        Assert.Equal(TimeSpan.FromSeconds(5), reference.GetTimeSpan("server.timeout"));
    }

    [Fact]
    public void Load_LayersOverridesOverFileOverDefaults()
    {
        var file = _directory.Write("user.conf", "server.port = 9000\nserver.host = example");
        var defaults = ConfigFactory.LoadReference(typeof(ConfigApiTests).Assembly);
        var config = ConfigFactory.Load(file, [defaults], ["server.port=9100"], _ => null);
        Assert.Equal(9100, config.GetInt("server.port"));
        Assert.Equal("example", config.GetString("server.host"));
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetTimeSpan("server.timeout"));
    }

    [Fact]
    public void Load_UserFileSubstitutionsSeeDefaults()
    {
        var file = _directory.Write("user.conf", "banner = \"port \"${server.port}");
        var config = ConfigFactory.Load(file, [Hocon.Parse("server.port = 1")], null, _ => null);
        Assert.Equal("port 1", config.GetString("banner"));
    }

    [Fact]
    public void ParseOverrides_LaterWinsAndObjectsMerge()
    {
        var overrides = ConfigFactory.ParseOverrides(["a.x = 1", "a { y = 2 }", "a.x = 3"]).Resolve(_ => null);
        Assert.Equal("""{"a":{"x":3,"y":2}}""", overrides.ToJson(false));
    }

    [Fact]
    public void ParseOverrides_BadSyntax_NamesTheOverride() =>
        Assert.Contains("override #1", Assert.Throws<HoconParseException>(() => ConfigFactory.ParseOverrides(["a = [1,,2]"])).Message, StringComparison.Ordinal);

    [Fact]
    public void ParseFile_Missing_IsConfigException() => Assert.Throws<ConfigException>(() => ConfigFactory.ParseFile(Path.Combine(_directory.Path, "none.conf")));

    [Fact]
    public void FromResource_Missing_IsConfigException() => Assert.Throws<ConfigException>(() => ConfigFactory.FromResource(typeof(ConfigApiTests).Assembly, "nope.conf"));
}
