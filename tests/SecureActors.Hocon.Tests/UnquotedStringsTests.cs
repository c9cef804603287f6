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

    // The initial number characters are a number whenever Lightbend's tokenizer (Java's number parsers) accepts them,
    // which includes a point with digits on one side only; anything else made of number characters is text.
    [Theory]
    [InlineData("7.", 7.0)]
    [InlineData("-.25", -0.25)]
    [InlineData("3.e2", 300.0)]
    public void PointWithDigitsOnOneSide_IsNumberKeepingItsText(string text, double value)
    {
        var config = Hocon.Parse("n = " + text);
        Assert.Equal(HoconType.Number, config.GetValue("n").Type);
        Assert.Equal(value, config.GetDouble("n"));
        Assert.Equal(text, config.GetString("n"));
    }

    [Theory]
    [InlineData("7.0.")]
    [InlineData("-")]
    [InlineData("-.")]
    [InlineData("2e")]
    public void NumberCharactersThatAreNoNumber_AreText(string text) => Assert.Equal(HoconType.String, Hocon.Parse("n = " + text).GetValue("n").Type);

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
