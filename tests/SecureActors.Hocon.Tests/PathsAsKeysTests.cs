namespace SecureActors.Hocon.Tests;

// HOCON.md "Paths as keys": a key with several path elements creates an object per element but the last, and those
// objects merge as usual; whitespace in a key is kept; a key is always a string (`3.14 : 42` is 3 → 14 → 42). An
// unquoted `include` may not begin a key.
public sealed class PathsAsKeysTests
{
    [Fact]
    public void DottedKey_EqualsNestedObjects() => Hocon.SameAs("foo { bar { baz : 42 } }", "foo.bar.baz : 42");

    [Fact]
    public void DottedKeys_WithCommonPrefix_Merge() => Hocon.SameAs("a { x : 42, y : 43 }", "a.x : 42, a.y : 43");

    [Fact]
    public void DottedKey_MergesWithEarlierObject() => Assert.Equal("""{"a":{"b":1,"c":2}}""", Hocon.Json("a { b = 1 }\na.c = 2"));

    [Fact]
    public void DottedKey_OverridesEarlierScalar() => Assert.Equal("""{"a":{"c":2}}""", Hocon.Json("a = 1\na.c = 2"));

    [Fact]
    public void KeyWithSpaces_IsOneElement() => Hocon.SameAs("\"a b c\" : 42", "a b c : 42");

    [Theory]
    [InlineData("true : 42", "\"true\" : 42")]
    [InlineData("3 : 42", "\"3\" : 42")]
    [InlineData("3.14 : 42", "\"3\" : { \"14\" : 42 }")]
    public void NonStringKey_BecomesString(string written, string equivalent) => Hocon.SameAs(equivalent, written);

    [Fact]
    public void IncludeLaterInKey_IsOrdinaryText() => Assert.Equal(42, Hocon.Parse("{ foo include : 42 }").GetInt("\"foo include\""));

    [Fact]
    public void QuotedInclude_IsOrdinaryKey() => Assert.Equal(42, Hocon.Parse("{ \"include\" : 42 }").GetInt("\"include\""));

    [Fact]
    public void UnquotedInclude_AsKey_IsRejected() => Hocon.ParseError("{ include : { a : 1 } }");

    [Fact]
    public void SubstitutionInKey_IsRejected() => Assert.Contains("not allowed in keys", Hocon.ParseError("a${b} = 1").Message, StringComparison.Ordinal);
}
