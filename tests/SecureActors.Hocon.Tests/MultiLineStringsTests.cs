namespace SecureActors.Hocon.Tests;

// HOCON.md "Multi-line strings": between """ and """ every character is kept as written — newlines, whitespace and
// backslashes, with no escapes at all. Like Scala, a run of more than three closing quotes ends the string and the
// extra quotes belong to it.
public sealed class MultiLineStringsTests
{
    [Fact]
    public void TripleQuoted_KeepsNewlinesAndIndentation() =>
        Assert.Equal("line one\n  line two\n", Hocon.Parse("a = \"\"\"line one\n  line two\n\"\"\"").GetString("a"));

    [Fact]
    public void TripleQuoted_DoesNotInterpretEscapes() => Assert.Equal("\\u0041\\n", Hocon.Parse("a = \"\"\"\\u0041\\n\"\"\"").GetString("a"));

    [Fact]
    public void ExtraClosingQuotes_BelongToTheString() => Assert.Equal("foo\"", Hocon.Parse("a = \"\"\"foo\"\"\"\"").GetString("a"));

    [Fact]
    public void SingleQuotesInside_AreText() => Assert.Equal("say \"hi\" now", Hocon.Parse("a = \"\"\"say \"hi\" now\"\"\"").GetString("a"));

    [Fact]
    public void TripleQuoted_ConcatenatesWithNeighbours() => Assert.Equal("x y\nz", Hocon.Parse("a = x \"\"\"y\nz\"\"\"").GetString("a"));

    [Fact]
    public void EmptyTripleQuoted_IsEmptyString() => Assert.Equal("", Hocon.Parse("a = \"\"\"\"\"\"").GetString("a"));

    [Fact]
    public void LineNumbers_AfterTripleQuoted_CountItsNewlines()
    {
        var error = Hocon.ParseError("a = \"\"\"1\n2\n3\"\"\"\nb = }");
        Assert.Equal(4, error.Origin!.Line);
    }

    [Fact]
    public void UnterminatedTripleQuoted_IsRejected() => Assert.Contains("triple-quoted", Hocon.ParseError("a = \"\"\"never closed\"\"").Message, StringComparison.Ordinal);
}
