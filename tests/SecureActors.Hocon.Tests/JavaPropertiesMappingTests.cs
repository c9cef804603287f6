namespace SecureActors.Hocon.Tests;

// HOCON.md "Java properties mapping": a properties key is a path split at every '.', values are always strings
// (the getters convert on request), and where a key is both a value and an object the object wins. An include
// without an extension loads name.properties, name.json and name.conf, later ones overriding earlier ones.
public sealed class JavaPropertiesMappingTests : IDisposable
{
    private readonly TempConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private Config Properties(string text) =>
        ConfigFactory.ParseFile(_directory.Write("settings.properties", text), new ConfigParseOptions { Environment = _ => null });

    [Fact]
    public void DottedKeys_BecomeNestedObjectsOfStrings()
    {
        var config = Properties("server.port=8820\nserver.name = edge\n");

        Assert.Equal("""{"server":{"port":"8820","name":"edge"}}""", config.ToJson(indented: false));
        Assert.Equal(8820, config.GetInt("server.port"));
    }

    [Fact]
    public void Separators_EqualsColonAndWhitespaceAllWork()
    {
        var config = Properties("a=1\nb:2\nc 3\nd  =  4\n");

        Assert.Equal(["1", "2", "3", "4"], new[] { "a", "b", "c", "d" }.Select(config.GetString));
    }

    [Fact]
    public void CommentsAndBlankLines_AreIgnored()
    {
        var config = Properties("# hash comment\n! bang comment\n\n   \nkey=value\n");

        Assert.Equal(["key"], config.GetKeys());
    }

    [Fact]
    public void BackslashAtLineEnd_ContinuesTheValue()
    {
        var config = Properties("list=one, \\\n     two\n");

        Assert.Equal("one, two", config.GetString("list"));
    }

    [Fact]
    public void Escapes_AreDecodedInKeysAndValues()
    {
        var config = Properties("tab\\tkey=line\\nbreak \\u00e9 \\= \\:\n");

        Assert.Equal("line\nbreak é = :", config.GetString("\"tab\\tkey\""));
    }

    [Fact]
    public void KeyThatIsBothValueAndObject_ObjectWins()
    {
        var config = Properties("a=hello\na.b=world\nc.d=x\nc=ignored\n");

        Assert.Equal("world", config.GetString("a.b"));
        Assert.Equal("x", config.GetString("c.d"));
    }

    [Fact]
    public void TrailingDot_MakesAnEmptyPathElement()
    {
        var config = Properties("a.=1\n");

        Assert.Equal("1", config.GetString("a.\"\""));
    }

    [Fact]
    public void BadUnicodeEscape_IsALocatedError()
    {
        var error = Assert.Throws<HoconParseException>(() => Properties("ok=1\nbad=\\u12\n"));

        Assert.Contains("settings.properties:2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtensionlessInclude_LoadsPropertiesThenJsonThenConf()
    {
        _directory.Write("layers.properties", "shared=properties\nonly.properties=yes\n");
        _directory.Write("layers.json", """{ "shared": "json", "only": { "json": "yes" } }""");
        _directory.Write("layers.conf", "shared = conf\n");
        var main = _directory.Write("main.conf", "include \"layers\"\n");

        var config = ConfigFactory.ParseFile(main, new ConfigParseOptions { Environment = _ => null });

        Assert.Equal("conf", config.GetString("shared"));
        Assert.Equal("yes", config.GetString("only.properties"));
        Assert.Equal("yes", config.GetString("only.json"));
    }

    [Fact]
    public void IncludedPropertiesValue_CanBeSubstitutedElsewhere()
    {
        _directory.Write("ports.properties", "port=9000\n");
        var main = _directory.Write("main.conf", "include \"ports.properties\"\nlisten = \"127.0.0.1:\"${port}\n");

        var config = ConfigFactory.ParseFile(main, new ConfigParseOptions { Environment = _ => null });

        Assert.Equal("127.0.0.1:9000", config.GetString("listen"));
    }
}
