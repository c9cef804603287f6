namespace SecureActors.Hocon.Tests;

// HOCON.md "Commas": array elements and object fields need no comma when a newline separates them; one trailing
// comma is ignored; a leading comma or two commas in a row are errors. The same rules hold for objects and arrays.
public sealed class CommasTests
{
    [Fact]
    public void TrailingComma_InArray_IsIgnored() => Assert.Equal("""{"a":[1,2,3]}""", Hocon.Json("a = [1,2,3,]"));

    [Fact]
    public void NewlinesInsteadOfCommas_InArray_AreSeparators() => Assert.Equal("""{"a":[1,2,3]}""", Hocon.Json("a = [1\n2\n3]"));

    [Fact]
    public void TrailingComma_AfterNewlines_IsIgnored() => Assert.Equal("""{"a":[1,2,3]}""", Hocon.Json("a = [1,2,3\n\n , \n]"));

    [Fact]
    public void CommaOnNextLine_SeparatesFields() => Assert.Equal("""{"a":1,"b":2}""", Hocon.Json("a = 1 // one\n, b = 2"));

    [Fact]
    public void TrailingComma_InObject_IsIgnored() => Assert.Equal("""{"a":"b"}""", Hocon.Json("{ a : b, }"));

    [Fact]
    public void TrailingComma_InBracelessRoot_IsIgnored() => Assert.Equal("""{"a":"b","c":"d"}""", Hocon.Json("a : b, c : d,"));

    [Fact]
    public void NewlineThenTrailingComma_InObject_IsIgnored() => Assert.Equal("""{"a":"b"}""", Hocon.Json("{ a : b  \n  , \n }"));

    [Theory]
    [InlineData("a = [1,2,3,,]")]
    [InlineData("a = [,1,2,3]")]
    [InlineData("a = [1,,2,3]")]
    [InlineData("a = [,]")]
    [InlineData("{ , }")]
    [InlineData("{ , \"foo\" : 10 }")]
    [InlineData("{ \"foo\" : 10 ,, }")]
    [InlineData(" \"a\" : 10 ,, ")]
    public void MisplacedComma_IsRejected(string text) => Assert.Contains("comma", Hocon.ParseError(text).Message, StringComparison.Ordinal);

    [Fact]
    public void FieldsOnOneLineWithoutComma_AreRejected() =>
        Assert.Contains("expected ','", Hocon.ParseError("{ \"foo\" : true \"bar\" : false }").Message, StringComparison.Ordinal);

    [Fact]
    public void WhitespaceBetweenElements_ConcatenatesInsteadOfSeparating() => Assert.Equal("""{"a":["1 2 3 4"]}""", Hocon.Json("a = [ 1 2 3 4 ]"));
}
