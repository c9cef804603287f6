namespace SecureActors.Hocon.Tests;

// HOCON.md "Include semantics": the included file's root fields take the place of the include statement, merging
// with earlier fields and being overridden by later ones. Its substitutions are looked up relative to where it was
// included first, then from the root. Missing files are ignored unless required(…). Relative names are found next
// to the including file, never in the working directory; a name without extension loads .json then .conf, both
// merged, each in the syntax its extension names (the .json one strict JSON); classpath(…) means an embedded resource here. An included file must be an object, and includes may not
// form a cycle.
public sealed class IncludeSemanticsTests : IDisposable
{
    private readonly TempConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private Config ParseMain(string text) => ConfigFactory.ParseFile(_directory.Write("main.conf", text), new ConfigParseOptions { Environment = _ => null });

    [Fact]
    public void IncludedFields_MergeWithEarlierAndYieldToLater()
    {
        _directory.Write("part.conf", "a { x = 1, y = 1 }\nb = included");
        var config = ParseMain("a { y = 0, z = 0 }\ninclude \"part.conf\"\nb = later");
        Assert.Equal("""{"a":{"y":1,"z":0,"x":1},"b":"later"}""", config.ToJson(false));
    }

    [Fact]
    public void IncludeInsideObject_NestsFields()
    {
        _directory.Write("foo.conf", "x = 10, y = ${x}");
        Assert.Equal(10, ParseMain("a : { include \"foo.conf\" }").GetInt("a.y"));
    }

    [Fact]
    public void IncludedSubstitution_IsFixedUpToIncludePath()
    {
        _directory.Write("foo.conf", "x = 10, y = ${x}");
        Assert.Equal(42, ParseMain("a : { include \"foo.conf\" }\na : { x : 42 }").GetInt("a.y"));
    }

    [Fact]
    public void IncludedSubstitution_FallsBackToRoot()
    {
        _directory.Write("foo.conf", "port = ${base-port}");
        Assert.Equal(9000, ParseMain("base-port = 9000\nserver { include \"foo.conf\" }").GetInt("server.port"));
    }

    [Theory]
    [InlineData("list += 2")]
    [InlineData("list = ${?list} [2]")]
    public void IncludedSelfReference_WithoutAnEarlierValueThere_StartsEmptyInsteadOfBorrowingTheRootField(string appended)
    {
        _directory.Write("part.conf", appended);

        var config = ParseMain("list = [0]\nfoo { include \"part.conf\" }\nbar { include \"part.conf\", include \"part.conf\" }");

        Assert.Equal("""{"list":[0],"foo":{"list":[2]},"bar":{"list":[2,2]}}""", config.ToJson(false));
    }

    [Fact]
    public void IncludedSelfReference_WithAnEarlierValueThere_AppendsToIt()
    {
        _directory.Write("part.conf", "list += 2");

        Assert.Equal("""{"list":[0],"foo":{"list":[1,2]}}""", ParseMain("list = [0]\nfoo { list = [1]\ninclude \"part.conf\" }").ToJson(false));
    }

    [Fact]
    public void IncludedRequiredSelfReference_WithoutAnEarlierValueThere_IsAnError()
    {
        var part = _directory.Write("part.conf", "list = ${list} [2]");

        var error = Assert.Throws<HoconResolveException>(() => ParseMain("list = [0]\nfoo { include \"part.conf\" }"));

        Assert.StartsWith($"{part}:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("means 'foo.list' here, the field's own earlier value, and it has none", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeInclude_IsFoundNextToIncludingFile()
    {
        _directory.Write("sub/inner.conf", "deep = true");
        _directory.Write("sub/outer.conf", "include \"inner.conf\"");
        Assert.True(ParseMain("include \"sub/outer.conf\"").GetBoolean("deep"));
    }

    [Fact]
    public void FileInclude_WithAbsolutePath_IsLoaded()
    {
        var absolute = _directory.Write("abs.conf", "v = 3");
        Assert.Equal(3, Hocon.Parse($"include file(\"{absolute}\")").GetInt("v"));
    }

    [Fact]
    public void StringDocument_IncludesRelativeToBaseDirectory()
    {
        _directory.Write("base.conf", "v = 4");
        var options = Hocon.Isolated() with { BaseDirectory = _directory.Path };
        Assert.Equal(4, ConfigFactory.ParseString("include \"base.conf\"", options).GetInt("v"));
    }

    [Fact]
    public void NameWithoutExtension_LoadsJsonThenConf()
    {
        _directory.Write("both.json", """{ "a" : "json", "j" : 1 }""");
        _directory.Write("both.conf", "a = conf, c = 2");
        Assert.Equal("""{"a":"conf","j":1,"c":2}""", ParseMain("include \"both\"").ToJson(false));
    }

    [Fact]
    public void HeuristicInclude_HoldsTheJsonMemberToJson()
    {
        var json = _directory.Write("layered.json", "{\n  \"a\": \"json\" // HOCON habit\n}");
        _directory.Write("layered.conf", "a = conf // fine here");

        var error = Assert.Throws<HoconParseException>(() => ParseMain("include \"layered\""));

        Assert.Equal($"{json}:2:15: JSON does not allow comments (this file is parsed as JSON because its name ends in .json)", error.Message);
    }

    [Fact]
    public void HeuristicInclude_KeepsHoconForTheConfMember()
    {
        _directory.Write("layered.json", """{ "a": "json", "list": [1] }""");
        _directory.Write("layered.conf", "# comment\nb = ${a}\nlist += 2");

        Assert.Equal("""{"a":"json","list":[1,2],"b":"json"}""", ParseMain("include \"layered\"").ToJson(false));
    }

    [Fact]
    public void NamedJsonInclude_IsStrictJson()
    {
        var json = _directory.Write("part.json", "{ \"port\": ${base} }");

        var error = Assert.Throws<HoconParseException>(() => ParseMain("base = 1\ninclude \"part.json\""));

        Assert.StartsWith($"{json}:1:11: JSON does not allow substitutions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingInclude_IsIgnored() => Assert.Equal(1, ParseMain("include \"absent.conf\"\na = 1").GetInt("a"));

    [Fact]
    public void RequiredMissingInclude_IsRejected() => Assert.Throws<HoconParseException>(() => ParseMain("include required(\"absent.conf\")"));

    [Fact]
    public void RequiredPresentInclude_IsLoaded()
    {
        _directory.Write("present.conf", "p = 1");
        Assert.Equal(1, ParseMain("include required(file(\"present.conf\"))").GetInt("p"));
    }

    [Fact]
    public void IncludedFileWithSyntaxError_ReportsItsOwnLocation()
    {
        var broken = _directory.Write("broken.conf", "ok = 1\nbad = [1,,2]");
        var error = Assert.Throws<HoconParseException>(() => ParseMain("include \"broken.conf\""));
        Assert.StartsWith($"{broken}:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncludedRootArray_IsRejected()
    {
        _directory.Write("array.json", "[1, 2]");
        Assert.Throws<HoconParseException>(() => ParseMain("include \"array.json\""));
    }

    [Fact]
    public void IncludeCycle_IsRejected()
    {
        _directory.Write("ping.conf", "include \"pong.conf\"");
        _directory.Write("pong.conf", "include \"ping.conf\"");
        Assert.Contains("include cycle", Assert.Throws<HoconParseException>(() => ParseMain("include \"ping.conf\"")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncludesThatFanOutAtEveryLevel_AreALocatedErrorNotAHang()
    {
        // Each file includes the next twice: 2^30 documents without a bound on the whole parse.
        for (var level = 0; level < 30; level++)
        {
            _directory.Write($"fan{level}.conf", $"include \"fan{level + 1}.conf\"\ninclude \"fan{level + 1}.conf\"\nv{level} = {level}");
        }

        _directory.Write("fan30.conf", "leaf = 1");

        var error = Assert.Throws<HoconParseException>(() => ParseMain("include \"fan0.conf\""));

        Assert.Contains("more than 10,000 included documents", error.Message, StringComparison.Ordinal);
        Assert.Contains("fan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameFileIncludedManyTimes_StaysAllowed()
    {
        _directory.Write("common.conf", "shared = 1");
        var text = string.Join("\n", Enumerable.Range(0, 500).Select(i => $"s{i} {{ include \"common.conf\" }}"));

        Assert.Equal(1, ParseMain(text).GetInt("s499.shared"));
    }

    [Fact]
    public void ClasspathInclude_ReadsEmbeddedResource() => Assert.Equal(4, Hocon.Parse("include classpath(\"embedded-defaults.conf\")").GetInt("pool.size"));

    [Fact]
    public void HeuristicInclude_FallsBackToEmbeddedResource() => Assert.Equal("embedded", ParseMain("include \"embedded-defaults.conf\"").GetString("pool.name"));

    [Fact]
    public void ResourceIncludingResource_FindsSibling()
    {
        var config = ConfigFactory.FromResource(typeof(IncludeSemanticsTests).Assembly, "embedded-outer.conf");
        Assert.True(config.GetBoolean("outer"));
        Assert.Equal(4, config.GetInt("pool.size"));
    }

    [Fact]
    public void FileUrlInclude_IsLoadedLikeFile()
    {
        var file = _directory.Write("url.conf", "u = 5");
        Assert.Equal(5, Hocon.Parse($"include url(\"{new Uri(file).AbsoluteUri}\")").GetInt("u"));
    }
}
