namespace SecureActors.Hocon.Tests;

// HOCON.md "Include semantics: file formats and extensions": a .json document is parsed as JSON, not HOCON. As in
// Lightbend (ConfigSyntax.JSON), that means strict JSON: one braced object at the root, quoted keys that are never
// path expressions, ':' only, one comma between elements and none trailing, no comments, unquoted text,
// substitutions, includes, concatenation, triple quotes or duplicate keys. Every rejection is located and says why
// the document was held to JSON. ConfigParseOptions.Syntax asks for a syntax explicitly.
public sealed class JsonSyntaxTests : IDisposable
{
    private const string ByExtension = "(this file is parsed as JSON because its name ends in .json)";

    private readonly TempConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static ConfigParseOptions Options => new() { Environment = _ => null };

    private Config ParseJsonFile(string text, string name = "settings.json") => ConfigFactory.ParseFile(_directory.Write(name, text), Options);

    private (string Path, HoconParseException Error) JsonFileError(string text)
    {
        var path = _directory.Write("broken.json", text);
        return (path, Assert.Throws<HoconParseException>(() => ConfigFactory.ParseFile(path, Options)));
    }

    [Fact]
    public void ValidJsonFile_GivesTheSameConfigAsParsingItAsHocon()
    {
        const string text = """
            {
              "name" : "edge\t\"one\"\u00e9",
              "port" :
                9000,
              "ratio": -1.5e2,
              "enabled": true, "fallback": false, "owner": null,
              "hosts": [ "a", "b",
                         { "weight": 2 } ],
              "nested": { "deeper": { "empty": {}, "none": [] } }
            }
            """;

        var fromJson = ParseJsonFile(text);

        Assert.Equal(Hocon.Json(text), fromJson.ToJson(indented: false));
        Assert.Equal("edge\t\"one\"é", fromJson.GetString("name"));
        Assert.Equal(9000, fromJson.GetInt("port"));
        Assert.Equal(-150.0, fromJson.GetDouble("ratio"));
        Assert.Equal(3, fromJson.GetList("hosts").Count);
    }

    [Fact]
    public void DottedKey_IsOneKeyNotAPath()
    {
        var config = ParseJsonFile("""{ "akka.loglevel": "DEBUG" }""");

        Assert.Equal("""{"akka.loglevel":"DEBUG"}""", config.ToJson(indented: false));
        Assert.False(config.HasPath("akka"));
    }

    [Fact]
    public void UnicodeWhitespaceAndNewlines_AreWhitespace()
    {
        // Lightbend runs its valid-JSON list with spaces swapped for U+2003 too; newlines are never separators in JSON.
        var config = ParseJsonFile("{\u2003\"a\"\n:\n1\n,\n\"b\"\u2003:\u2003[\n2\n]\n}");

        Assert.Equal("""{"a":1,"b":[2]}""", config.ToJson(indented: false));
    }

    [Theory]
    [InlineData("{\n  \"a\": 1 # note\n}", 2, 10, "JSON does not allow comments")]
    [InlineData("{\n  \"a\": 1, // note\n  \"b\": 2\n}", 2, 11, "JSON does not allow comments")]
    [InlineData("// header\n{}", 1, 1, "JSON does not allow comments")]
    [InlineData("{ \"a\": yes }", 1, 8, "JSON does not allow unquoted text 'yes'")]
    [InlineData("{ a: 1 }", 1, 3, "JSON does not allow unquoted text 'a'")]
    [InlineData("{ \"a\" = 1 }", 1, 7, "JSON requires ':' after the key \"a\"; '=' is HOCON only")]
    [InlineData("{ \"a\" += 1 }", 1, 7, "JSON does not allow '+='")]
    [InlineData("{ \"a\" { \"b\": 1 } }", 1, 7, "only HOCON lets it be left out before '{'")]
    [InlineData("{ \"a\": 1 \"b\": 2 }", 1, 10, "expected ',' or '}' after the value of \"a\", found quoted string \"b\"")]
    [InlineData("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "expected ',' or '}' after the value of \"a\"")]
    [InlineData("{ \"a\": 1, }", 1, 9, "JSON does not allow a trailing comma before '}'")]
    [InlineData("{ \"a\": [1, 2,] }", 1, 13, "JSON does not allow a trailing comma before ']'")]
    [InlineData("{ \"a\": [1,, 2] }", 1, 11, "expected an array element, found ','")]
    [InlineData("{ \"a\": 1,, \"b\": 2 }", 1, 10, "expected a quoted key, found ','")]
    [InlineData("{ \"a\": ${b} }", 1, 8, "JSON does not allow substitutions '${…}'")]
    [InlineData("{ \"a\": ${?b} }", 1, 8, "JSON does not allow substitutions '${…}'")]
    [InlineData("{\n include \"other.json\" }", 2, 2, "JSON does not allow include statements")]
    [InlineData("{ \"a\": \"x\" \"y\" }", 1, 12, "JSON does not join values written next to each other")]
    [InlineData("{ \"a\": [1 2] }", 1, 11, "JSON does not join values written next to each other")]
    [InlineData("{ \"a\": \"\"\"multi\nline\"\"\" }", 1, 8, "JSON does not allow triple-quoted strings")]
    [InlineData("[ 1, 2 ]", 1, 1, "a configuration document must be an object, but this JSON document is an array")]
    [InlineData("", 1, 1, "empty document: JSON needs an object '{…}' at the root")]
    [InlineData("  \n ", 2, 2, "empty document")]
    [InlineData("\"a\": 1", 1, 1, "JSON does not allow leaving out the braces around the root object")]
    [InlineData("{ \"a\": 1 }\n{ \"b\": 2 }", 2, 1, "expected end of file after the root object")]
    [InlineData("{ \"a\": 1.2.3 }", 1, 8, "'1.2.3' is not a valid JSON number")]
    [InlineData("{ \"a\": -1e400 }", 1, 8, "'-1e400' is a JSON number too large for a double")]
    [InlineData("{ \"a\": 10x }", 1, 10, "JSON does not allow unquoted text 'x'")]
    [InlineData("{ \"a\": +1 }", 1, 8, "JSON does not allow '+' outside quotes")]
    [InlineData("{ \"a\": 1 ", 1, 10, "expected '}' to close the object opened at")]
    [InlineData("{ 1: 2 }", 1, 3, "JSON keys must be quoted strings, found '1'")]
    public void HoconOnlySyntax_IsALocatedJsonError(string text, int line, int column, string expected)
    {
        var (path, error) = JsonFileError(text);

        Assert.StartsWith($"{path}:{line}:{column}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.EndsWith(ByExtension, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKey_IsRejectedWithBothLocations()
    {
        // HOCON would merge these two objects; Lightbend's JSON flavor refuses a repeated field instead.
        var (path, error) = JsonFileError("{\n  \"pool\": { \"size\": 1 },\n  \"pool\": { \"name\": \"x\" }\n}");

        Assert.StartsWith($"{path}:3:3: JSON does not allow duplicate keys: \"pool\" was already set at {path}:2:3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameKeyInDifferentObjects_IsNoDuplicate()
    {
        var config = ParseJsonFile("""{ "a": { "size": 1 }, "b": { "size": 2 } }""");

        Assert.Equal(2, config.GetInt("b.size"));
    }

    [Fact]
    public void ExtensionIsMatchedIgnoringCase_LikeProperties()
    {
        var path = _directory.Write("UPPER.JSON", "{ \"a\": 1 } # trailing");

        Assert.Contains("JSON does not allow comments", Assert.Throws<HoconParseException>(() => ConfigFactory.ParseFile(path, Options)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitJsonSyntax_AppliesToAString()
    {
        var options = Hocon.Isolated("inline") with { Syntax = ConfigSyntax.Json };

        var error = Assert.Throws<HoconParseException>(() => ConfigFactory.ParseString("{ a: 1 }", options));

        Assert.Equal("inline:1:3: JSON does not allow unquoted text 'a'; put strings in double quotes (the only bare words are true, false and null) (this text is parsed as JSON because ConfigParseOptions.Syntax is Json)", error.Message);
        Assert.Equal(1, ConfigFactory.ParseString("""{ "a": 1 }""", options).GetInt("a"));
    }

    [Fact]
    public void ExplicitJsonSyntax_OverridesAConfExtension()
    {
        var path = _directory.Write("looks-like-hocon.conf", "{ \"a\": 1 } // comment");

        var error = Assert.Throws<HoconParseException>(() => ConfigFactory.ParseFile(path, Options.WithSyntax(ConfigSyntax.Json)));

        Assert.EndsWith("(this file is parsed as JSON because ConfigParseOptions.Syntax is Json)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitConfSyntax_OverridesAJsonExtension()
    {
        var path = _directory.Write("really-hocon.json", "a = 1 // HOCON after all");

        Assert.Equal(1, ConfigFactory.ParseFile(path, Options with { Syntax = ConfigSyntax.Conf }).GetInt("a"));
    }

    [Fact]
    public void ExplicitPropertiesSyntax_AppliesToAString()
    {
        var config = ConfigFactory.ParseString("server.port=9000", Hocon.Isolated() with { Syntax = ConfigSyntax.Properties });

        Assert.Equal("9000", config.GetString("server.port"));
    }

    [Fact]
    public void DefaultSyntax_IsChosenByName()
    {
        Assert.Null(new ConfigParseOptions().Syntax);
        Assert.Equal(ConfigSyntax.Json, new ConfigParseOptions().WithSyntax(ConfigSyntax.Json).Syntax);
        Assert.Null(new ConfigParseOptions { Syntax = ConfigSyntax.Json }.WithSyntax(null).Syntax);
    }

    [Fact]
    public void StringsWithoutASyntax_StayHocon() => Assert.Equal(1, Hocon.Parse("a = 1 // comment").GetInt("a"));

    [Fact]
    public void ConfFile_KeepsHoconSyntax()
    {
        var path = _directory.Write("app.conf", "# comment\nbase = 1\na { b = ${base}, c += x }\nlist = [1, 2,]\n");

        var config = ConfigFactory.ParseFile(path, Options);

        Assert.Equal("""{"base":1,"a":{"b":1,"c":["x"]},"list":[1,2]}""", config.ToJson(indented: false));
    }

    [Fact]
    public void JsonResource_IsParsedAsJson()
    {
        var assembly = typeof(JsonSyntaxTests).Assembly;

        Assert.Equal(8, ConfigFactory.FromResource(assembly, "embedded-settings.json").GetInt("pool.size"));

        var error = Assert.Throws<HoconParseException>(() => ConfigFactory.FromResource(assembly, "embedded-commented.json"));
        Assert.Equal("resource embedded-commented.json:2:25: JSON does not allow comments (this resource is parsed as JSON because its name ends in .json)", error.Message);
    }

    [Fact]
    public void JsonFileNestedUnderAnInclude_KeepsItsValues()
    {
        _directory.Write("pool.json", """{ "size": 4, "tags": ["x"] }""");

        var config = ConfigFactory.ParseFile(_directory.Write("main.conf", "server { pool { include \"pool.json\" } }\nserver.pool.size = 5"), Options);

        Assert.Equal("""{"server":{"pool":{"size":5,"tags":["x"]}}}""", config.ToJson(indented: false));
    }
}
