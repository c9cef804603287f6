namespace SecureActors.Hocon.Tests;

// HOCON.md "Unchanged from JSON": quoted strings follow JSON exactly — the escapes \" \\ \/ \b \f \n \r \t \uXXXX,
// no raw control characters (so no raw newline) inside the quotes, and an unterminated string is an error.
public sealed class QuotedStringsTests
{
    [Fact]
    public void JsonEscapes_AreDecoded() =>
        Assert.Equal("\" \\ / \b \f \n \r \t A é", Hocon.Parse("a = \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9\"").GetString("a"));

    [Fact]
    public void QuotedString_KeepsLeadingAndTrailingSpaces() => Assert.Equal("  x  ", Hocon.Parse("a = \"  x  \"").GetString("a"));

    [Fact]
    public void QuotedTrue_IsString() => Assert.Equal(HoconType.String, Hocon.Parse("a = \"true\"").GetValue("a").Type);

    [Fact]
    public void EmptyQuotedString_IsEmptyString() => Assert.Equal("", Hocon.Parse("a = \"\"").GetString("a"));

    [Theory]
    [InlineData("a = \"\\x\"")]
    [InlineData("a = \"\\u00\"")]
    [InlineData("a = \"\\u00zz\"")]
    [InlineData("a = \"open")]
    [InlineData("a = \"line\nbreak\"")]
    [InlineData("a = \"tab\there\"")]
    [InlineData("a = \"ends with backslash\\")]
    public void MalformedQuotedString_IsRejected(string text) => Hocon.ParseError(text);
}
