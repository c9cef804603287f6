namespace SecureActors.Hocon.Tests;

// HOCON.md "Omit root braces": a document that does not start with `{` or `[` is read as if wrapped in `{}`;
// braces must still balance, so a stray `}` is an error. A configuration must be an object, so a root array or a
// lone value is refused.
public sealed class OmitRootBracesTests
{
    [Fact]
    public void BracelessDocument_ParsesAsObject() => Hocon.SameAs("{ a = 1, b = 2 }", "a = 1\nb = 2");

    [Fact]
    public void EmptyDocument_IsEmptyObject() => Assert.True(Hocon.Parse("").IsEmpty);

    [Fact]
    public void WhitespaceOnlyDocument_IsEmptyObject() => Assert.True(Hocon.Parse(" \n \n\t\n").IsEmpty);

    [Fact]
    public void BracedRoot_WithSurroundingWhitespace_Parses() => Assert.Equal("""{"a":1}""", Hocon.Json("\n  { a : 1 }  \n"));

    [Fact]
    public void ClosingBrace_WithoutOpening_IsRejected() => Assert.Contains("'}'", Hocon.ParseError("a = 1 }").Message, StringComparison.Ordinal);

    [Fact]
    public void OpeningBrace_WithoutClosing_IsRejected() => Assert.Contains("expected '}'", Hocon.ParseError("{ a = 1").Message, StringComparison.Ordinal);

    [Fact]
    public void RootArray_IsRejected() => Assert.Contains("array", Hocon.ParseError("[1, 2]").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("10")]
    [InlineData("\"foo\"")]
    [InlineData("{}x")]
    [InlineData("{}{}")]
    [InlineData("{} true")]
    public void LoneValueOrTrailingGarbage_IsRejected(string text) => Hocon.ParseError(text);
}
