namespace SecureActors.Hocon.Tests;

// HOCON.md "Unquoted strings": text outside quotes is a string unless it contains a forbidden character
// ('$', '"', '{', '}', '[', ']', ':', '=', ',', '+', '#', '`', '^', '?', '!', '@', '*', '&', '\'), whitespace or
// "//". Only its initial characters are read as true/false/null or a number; `truefoo` is true then foo, while
// `footrue` is one string. No escapes apply.
public sealed class UnquotedStringsTests
{
    [Fact]
    public void PlainWord_IsString() => Assert.Equal(HoconType.String, Hocon.Parse("a = foo").GetValue("a").Type);

    [Theory]
    [InlineData("truefoo", "truefoo")]
    [InlineData("footrue", "footrue")]
    [InlineData("10.0bar", "10.0bar")]
    [InlineData("bar10.0", "bar10.0")]
    [InlineData("nullx", "nullx")]
    [InlineData("-x", "-x")]
    [InlineData("1-", "1-")]
    [InlineData(".5", ".5")]
    [InlineData("/a/b/c", "/a/b/c")]
    [InlineData("a\\b", null)]
    public void UnquotedText_KeepsItsCharacters(string text, string? expected)
    {
        if (expected is null)
        {
            Hocon.ParseError("a = " + text);
            return;
        }

        Assert.Equal(expected, Hocon.Parse("a = " + text).GetString("a"));
    }

    [Theory]
    [InlineData("true", HoconType.Boolean)]
    [InlineData("false", HoconType.Boolean)]
    [InlineData("null", HoconType.Null)]
    [InlineData("42", HoconType.Number)]
    [InlineData("-1.5e3", HoconType.Number)]
    [InlineData("tru", HoconType.String)]
    public void SingleToken_KeepsItsType(string text, HoconType type) => Assert.Equal(type, Hocon.Parse("a = " + text).GetValue("a").Type);

    [Theory]
    [InlineData('$')]
    [InlineData('"')]
    [InlineData('{')]
    [InlineData('}')]
    [InlineData('[')]
    [InlineData(']')]
    [InlineData(':')]
    [InlineData('=')]
    [InlineData(',')]
    [InlineData('+')]
    [InlineData('`')]
    [InlineData('^')]
    [InlineData('?')]
    [InlineData('!')]
    [InlineData('@')]
    [InlineData('*')]
    [InlineData('&')]
    [InlineData('\\')]
    public void ForbiddenCharacter_InsideUnquotedValue_IsRejected(char forbidden) => Hocon.Rejected($"a = foo{forbidden}bar");

    [Fact]
    public void DoubleSlash_EndsUnquotedText() => Assert.Equal("http:", Hocon.Parse("a = \"http:\"//example").GetString("a"));

    [Fact]
    public void ControlCharacters_AreAllowedInUnquotedText() => Assert.Equal("a\u0001b", Hocon.Parse("x = a\u0001b").GetString("x"));

    [Fact]
    public void UnquotedInclude_AsValue_IsString() => Assert.Equal("include", Hocon.Parse("a = include").GetString("a"));
}
