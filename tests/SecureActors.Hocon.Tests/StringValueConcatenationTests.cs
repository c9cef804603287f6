namespace SecureActors.Hocon.Tests;

// HOCON.md "String value concatenation": simple values separated only by non-newline whitespace join into one
// string, keeping the whitespace between them and dropping it at the ends; numbers keep the text they were written
// as; true/false/null become their words; a lone value keeps its type. Arrays and objects may not join strings,
// and a concatenation never spans a newline.
public sealed class StringValueConcatenationTests
{
    [Fact]
    public void MixedSimpleValues_JoinWithInnerWhitespace() =>
        Assert.Equal("true xyz 123 foo", Hocon.Parse(" a :  true \"xyz\" 123 foo  ").GetString("a"));

    [Fact]
    public void UnquotedAndQuoted_GiveSameSevenCharacters() =>
        Assert.Equal(Hocon.Parse("a = \"foo bar\"").GetString("a"), Hocon.Parse("a = foo bar").GetString("a"));

    [Fact]
    public void InnerWhitespace_IsPreservedExactly() => Assert.Equal("a   b\tc", Hocon.Parse("x = a   b\tc").GetString("x"));

    [Fact]
    public void Numbers_KeepTheirWrittenForm() => Assert.Equal("1e5 1.0 007", Hocon.Parse("a = 1e5 1.0 007").GetString("a"));

    [Fact]
    public void NullTrueFalse_BecomeWords() => Assert.Equal("null bar 42 baz true 3.14 hi", Hocon.Parse("a : null bar 42 baz true 3.14 \"hi\"").GetString("a"));

    [Fact]
    public void Substitution_JoinsAsText() => Assert.Equal("1foo1", Hocon.Parse(" a : ${x}foo${x}, x = 1 ").GetString("a"));

    [Fact]
    public void NullSubstitution_JoinsAsWordNull() => Assert.Equal("foo null bar", Hocon.Parse("a = foo ${b} bar, b = null").GetString("a"));

    [Fact]
    public void WholeSubstitution_KeepsItsType() => Assert.Equal(HoconType.Number, Hocon.Parse("a = ${b}, b = 5").GetValue("a").Type);

    [Fact]
    public void ConcatenatedKey_JoinsToo() => Assert.Equal("value", Hocon.Parse(" 123 foo : \"value\" ").GetString("\"123 foo\""));

    [Fact]
    public void ConcatenationInsideArray_IsOneElement() => Assert.Equal(["foo bar 10"], Hocon.Parse("a = [ foo bar 10 ]").GetStringList("a"));

    [Fact]
    public void NewlinesInsideArray_SeparateElements() => Assert.Equal(["foo", "bar", "10"], Hocon.Parse("a = [ foo\n bar\n 10 ]").GetStringList("a"));

    [Fact]
    public void Concatenation_CannotSpanLines() => Hocon.ParseError(" a : ${x}\n foo, x = 1 ");

    [Theory]
    [InlineData(" a : abc { x : y } ")]
    [InlineData(" a : null { x : y } ")]
    [InlineData(" a : abc [1, 2] ")]
    [InlineData(" a : abc ${x}, x : { y : z } ")]
    [InlineData(" a : abc ${x}, x : [1, 2] ")]
    [InlineData("{ \"a\" : [1,2], \"b\" : y${a}z }")]
    public void StringWithArrayOrObject_IsRejected(string text) => Assert.Contains("cannot concatenate", Hocon.Rejected(text).Message, StringComparison.Ordinal);
}
