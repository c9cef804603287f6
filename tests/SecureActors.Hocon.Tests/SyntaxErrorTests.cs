namespace SecureActors.Hocon.Tests;

// Errors (issue #2): every syntax error is a HoconParseException whose message starts with file:line:column and says
// what was expected or what is wrong; resolution errors name the file:line of the offending substitution.
public sealed class SyntaxErrorTests
{
    [Theory]
    [InlineData("a = 1\nb = [1,,2]", 2, 8, "two commas")]
    [InlineData("a {\n  b = 1\n", 3, 1, "expected '}'")]
    [InlineData("a = \"open", 1, 5, "unterminated")]
    [InlineData("x = 1\n  y = ?", 2, 7, "reserved character '?'")]
    [InlineData("k v", 1, 4, "expected ':', '='")]
    [InlineData("a = [1 2}", 1, 9, "expected ',' or a newline or ']'")]
    [InlineData("a = ${b", 1, 5, "unterminated substitution")]
    [InlineData("a = \"\\q\"", 1, 6, "not a valid escape")]
    [InlineData("\n\n   }", 3, 4, "unbalanced '}'")]
    public void SyntaxError_ReportsFileLineColumnAndExpectation(string text, int line, int column, string expectation)
    {
        var error = Hocon.ParseError(text);
        Assert.StartsWith($"test.conf:{line}:{column}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expectation, error.Message, StringComparison.Ordinal);
        Assert.Equal(new ConfigOrigin("test.conf", line, column), error.Origin);
    }

    [Fact]
    public void ErrorInFile_NamesThePath()
    {
        using var directory = new TempConfigDirectory();
        var file = directory.Write("bad.conf", "ok = 1\nbad = }");
        Assert.StartsWith($"{file}:2:7: ", Assert.Throws<HoconParseException>(() => ConfigFactory.ParseFile(file)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveError_NamesFileAndLine() => Assert.StartsWith("test.conf:3: ", Hocon.ResolveError("a = 1\n\nb = ${nope}").Message, StringComparison.Ordinal);

    [Fact]
    public void ParseErrors_AreConfigExceptions() => Assert.IsAssignableFrom<ConfigException>(Hocon.ParseError("{"));
}
