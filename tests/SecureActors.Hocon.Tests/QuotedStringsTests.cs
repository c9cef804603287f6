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

    // Lightbend's Tokenizer refuses exactly the C0 controls U+0000..U+001F unescaped (ConfigImplUtil.isC0Control), as
    // JSON does; DEL (U+007F) and the C1 controls are ordinary characters there, and so here.
    [Theory]
    [InlineData('\u0000')]
    [InlineData('\u001F')]
    public void C0Control_Unescaped_IsRejected(char control) =>
        Assert.Contains("control character", Hocon.ParseError($"a = \"x{control}y\"").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData('\u0020')]
    [InlineData('\u007F')]
    [InlineData('\u0080')]
    [InlineData('\u009F')]
    public void CharacterAboveC0_Unescaped_IsKept(char character) =>
        Assert.Equal($"x{character}y", Hocon.Parse($"a = \"x{character}y\"").GetString("a"));

    [Fact]
    public void TripleQuotedString_KeepsC0Controls() => Assert.Equal("x\u0001y", Hocon.Parse("a = \"\"\"x\u0001y\"\"\"").GetString("a"));
}
