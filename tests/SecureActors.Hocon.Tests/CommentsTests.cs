namespace SecureActors.Hocon.Tests;

// HOCON.md "Comments": everything from `//` or `#` to the end of the line is ignored, except when those characters
// are inside a quoted string.
public sealed class CommentsTests
{
    [Fact]
    public void HashComment_OnItsOwnLine_IsIgnored() => Assert.Equal("""{"a":1}""", Hocon.Json("# leading\na = 1\n# trailing"));

    [Fact]
    public void SlashComment_AfterValue_EndsTheValue() => Assert.Equal("""{"a":"x y"}""", Hocon.Json("a = x y // not part of it"));

    [Fact]
    public void HashComment_AfterValue_EndsTheValue() => Assert.Equal("""{"a":42}""", Hocon.Json("a = 42 # answer"));

    [Fact]
    public void Comment_BetweenKeyAndSeparator_IsAllowed() => Assert.Equal("""{"a":10}""", Hocon.Json("{ \"a\" # note\n : 10 }"));

    [Fact]
    public void Comment_AfterSeparator_ValueOnNextLine_IsAllowed() => Assert.Equal("""{"a":10}""", Hocon.Json("{ a : // note\n 10 }"));

    [Fact]
    public void Comment_InsideArrayBeforeComma_IsAllowed() => Assert.Equal("""{"a":[10,11]}""", Hocon.Json("a = [ 10 # ten\n , 11 ]"));

    [Fact]
    public void CommentMarkers_InsideQuotes_AreText() =>
        Assert.Equal("""{"a":"#not","b":"//not"}""", Hocon.Json("a = \"#not\"\nb = \"//not\""));

    [Fact]
    public void SingleSlash_InUnquotedText_IsText() => Assert.Equal("""{"a":"/usr/bin"}""", Hocon.Json("a = /usr/bin"));

    [Fact]
    public void DocumentOfOnlyComments_IsEmpty() => Assert.True(Hocon.Parse("# one\n// two\n").IsEmpty);

    [Fact]
    public void Comment_SwallowingClosingBracket_IsRejected() => Hocon.ParseError("a = [ 1 # ]");

    [Fact]
    public void Comment_InsideSubstitution_IsRejected() => Hocon.ParseError("a = ${ # b }");
}
