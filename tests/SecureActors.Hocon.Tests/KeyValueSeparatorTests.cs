namespace SecureActors.Hocon.Tests;

// HOCON.md "Key-value separator": `=` works wherever JSON allows `:`; before a `{` the separator may be omitted.
public sealed class KeyValueSeparatorTests
{
    [Fact]
    public void EqualsSign_SeparatesLikeColon() => Hocon.SameAs("{ \"a\" : 1 }", "{ \"a\" = 1 }");

    [Fact]
    public void ObjectValue_WithoutSeparator_IsAllowed() => Assert.Equal("""{"foo":{"bar":42}}""", Hocon.Json("foo { bar : 42 }"));

    [Fact]
    public void ObjectValue_WithoutSeparator_UnquotedKeyWithSpaces_IsAllowed() =>
        Assert.Equal("""{"foo baz":{"bar":42}}""", Hocon.Json("{ foo baz { \"bar\" : 42 } }"));

    [Fact]
    public void NewlineBetweenKeyAndSeparator_IsAllowed() => Assert.Equal("""{"foo":{"bar":1}}""", Hocon.Json("foo.bar\n : 1"));

    [Fact]
    public void NewlineBetweenSeparatorAndValue_IsAllowed() => Assert.Equal("""{"foo":42}""", Hocon.Json("{ \"foo\" : \n 42 }"));

    [Fact]
    public void KeyWithoutSeparator_BeforeNonObject_IsRejected() =>
        Assert.Contains("expected ':', '='", Hocon.ParseError("{ a 1 }").Message, StringComparison.Ordinal);

    [Fact]
    public void KeyWithoutValue_IsRejected() => Assert.Contains("expected a value", Hocon.ParseError("{ \"foo\" : }").Message, StringComparison.Ordinal);

    [Fact]
    public void SeparatorWithoutKey_IsRejected() => Hocon.ParseError("{ : 10 }");

    [Fact]
    public void KeyOnly_IsRejected() => Hocon.ParseError("{ \"foo\" }");

    [Fact]
    public void NewlineInsideUnquotedKey_IsRejected() => Hocon.ParseError("{ foo \n bar : 10 }");

    [Fact]
    public void CommaInsteadOfColon_IsRejected() => Hocon.ParseError("{ \"foo\" , true }");
}
