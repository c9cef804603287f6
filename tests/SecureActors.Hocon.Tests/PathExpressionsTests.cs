namespace SecureActors.Hocon.Tests;

// HOCON.md "Path expressions": a path is written like a value concatenation without substitutions; '.' outside
// quotes separates elements (also inside numbers, as written), '.' inside quotes does not; a path is always text,
// so `true` is the key "true"; an empty element must be quoted, and `a..b`, a leading or a trailing '.' are errors.
public sealed class PathExpressionsTests
{
    [Fact]
    public void QuotedElement_KeepsItsDots() => Assert.Equal(1, Hocon.Parse("foo.bar.\"hello.world\" = 1").GetInt("foo.bar.\"hello.world\""));

    [Theory]
    [InlineData("10.0foo", """{"10":{"0foo":1}}""")]
    [InlineData("foo10.0", """{"foo10":{"0":1}}""")]
    [InlineData("foo\"10.0\"", """{"foo10.0":1}""")]
    [InlineData("1.2.3", """{"1":{"2":{"3":1}}}""")]
    [InlineData("a.\"\".b", """{"a":{"":{"b":1}}}""")]
    [InlineData("true", """{"true":1}""")]
    [InlineData("null.false", """{"null":{"false":1}}""")]
    [InlineData("1e5", """{"1e5":1}""")]
    public void Key_SplitsAsWritten(string key, string json) => Assert.Equal(json, Hocon.Json(key + " = 1"));

    [Fact]
    public void SubstitutionPath_SplitsLikeKey() => Assert.Equal(7, Hocon.Parse("a.\"b.c\".d = 7\nx = ${a.\"b.c\".d}").GetInt("x"));

    [Fact]
    public void SubstitutionPath_MayMixQuotedAndUnquoted() => Assert.Equal(3, Hocon.Parse("foobar = 3\nx = ${\"foo\"\"bar\"}").GetInt("x"));

    [Fact]
    public void SubstitutionPath_KeepsInnerWhitespace() => Assert.Equal(4, Hocon.Parse("\"foo  bar  baz\" = 4\nx = ${foo  \"bar\"  baz}").GetInt("x"));

    [Fact]
    public void SubstitutionPath_TrimsOuterWhitespace() => Assert.Equal(5, Hocon.Parse("foo.bar = 5\nx = ${ foo.bar }").GetInt("x"));

    [Fact]
    public void SubstitutionPath_OfTrue_IsTheKeyTrue() => Assert.Equal(6, Hocon.Parse("true = 6\nx = ${true}").GetInt("x"));

    [Theory]
    [InlineData("a..b = 1")]
    [InlineData(".a = 1")]
    [InlineData("a. = 1")]
    [InlineData("x = ${a..b}")]
    [InlineData("x = ${.a}")]
    [InlineData("x = ${a.}")]
    [InlineData("x = ${}")]
    [InlineData("x = ${?}")]
    public void EmptyPathElement_IsRejected(string text) => Hocon.ParseError(text);

    [Theory]
    [InlineData("x = ${ ?a}")]
    [InlineData("x = ${${a}}")]
    [InlineData("x = ${a")]
    [InlineData("x = $a")]
    [InlineData("x = ${a\n}")]
    public void MalformedSubstitution_IsRejected(string text) => Hocon.ParseError(text);

    [Fact]
    public void ApiPath_WithEmptyElement_IsRejected() => Assert.Throws<HoconParseException>(() => Hocon.Parse("a = 1").GetString("a..b"));
}
