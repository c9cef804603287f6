namespace SecureActors.Hocon.Tests;

// HOCON.md "Include syntax": an unquoted `include` at the start of a key, followed by whitespace (newlines too) and
// a single quoted string, or file("…"), url("…"), classpath("…") — optionally inside required(…) — stands in for a
// field. The argument must be one quoted string: no concatenation, no substitution, no unquoted text.
public sealed class IncludeSyntaxTests
{
    [Theory]
    [InlineData("include \"nothing-here\"")]
    [InlineData("include\n\"nothing-here\"")]
    [InlineData("include\"nothing-here\"")]
    [InlineData("include file(\"nothing-here.conf\")")]
    [InlineData("include file( \"nothing-here.conf\" )")]
    [InlineData("include classpath(\"nothing-here.conf\")")]
    [InlineData("include \"nothing-here\", a = b")]
    public void WellFormedIncludeOfMissingFile_IsIgnored(string text) => Assert.DoesNotContain("include", Hocon.Parse(text).GetKeys());

    [Theory]
    [InlineData("include foo")]
    [InlineData("include \"bar\" : 10")]
    [InlineData("include : { a : 1 }")]
    [InlineData("include file(foo)")]
    [InlineData("include file(\"a\" \"b\")")]
    [InlineData("include file(\"a\"")]
    [InlineData("include nonsense(\"a\")")]
    [InlineData("include ${x}")]
    [InlineData("include")]
    [InlineData("include file (\"nothing-here.conf\")")]
    [InlineData("include required (\"nothing-here.conf\")")]
    [InlineData("include required(file (\"nothing-here.conf\"))")]
    [InlineData("include fi le(\"nothing-here.conf\")")]
    public void MalformedInclude_IsRejected(string text) => Hocon.ParseError(text);

    [Fact]
    public void RequiredIncludeOfMissingFile_IsRejectedWithLocation()
    {
        var error = Hocon.ParseError("a = 1\ninclude required(\"surely-missing.conf\")");
        Assert.Contains("surely-missing.conf", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Origin!.Line);
    }

    [Theory]
    [InlineData("include required( file( \"surely-missing.conf\" ) )")]
    [InlineData("include required(classpath(\"surely-missing.conf\") )")]
    [InlineData("include required(\n\"surely-missing.conf\"\n)")]
    public void RequiredWrappers_AllowSpaceInsideParentheses(string text) =>
        Assert.Contains("was not found", Hocon.ParseError(text).Message, StringComparison.Ordinal);

    [Fact]
    public void RequiredFileInclude_Parses() => Hocon.ParseError("include required(file(\"surely-missing.conf\"))");

    [Fact]
    public void UrlIncludeOverNetwork_IsRejected() => Assert.Contains("network", Hocon.ParseError("include url(\"http://example.com/x.conf\")").Message, StringComparison.Ordinal);
}
