namespace SecureActors.Hocon.Tests;

// HOCON.md "The += field separator": `a += b` means `a = ${?a} [b]`: it appends one element to an earlier array,
// works as the first mention of `a`, and fails like the long form when the earlier value is not an array.
public sealed class PlusEqualsSeparatorTests
{
    [Fact]
    public void FirstMention_CreatesArray() => Assert.Equal([2], Hocon.Parse(" a += 2 ").GetIntList("a"));

    [Fact]
    public void AfterEmptyArray_Appends() => Assert.Equal([2], Hocon.Parse(" a = [], a += 2 ").GetIntList("a"));

    [Fact]
    public void RepeatedAppends_KeepOrder() => Assert.Equal([1, 2, 3], Hocon.Parse(" a += 1, a += 2, a += 3 ").GetIntList("a"));

    [Fact]
    public void NestedPath_Appends() => Assert.Equal([1, 2], Hocon.Parse(" a.b.c = [1], a.b.c += 2 ").GetIntList("a.b.c"));

    [Fact]
    public void InsideMergedObjects_Appends() => Assert.Equal([1, 2], Hocon.Parse(" a : { b : { c : [1] } }, a : { b : { c += 2 } }").GetIntList("a.b.c"));

    [Fact]
    public void InsideNestedObject_Appends() => Assert.Equal([1, 2, 3], Hocon.Parse(" x { a += 1, a += 2, a += 3 } ").GetIntList("x.a"));

    [Fact]
    public void ObjectElements_Append() =>
        Assert.Equal([1, 2], Hocon.Parse(" a += { b: 1 }, a += { b: 2 } ").GetConfigList("a").Select(item => item.GetInt("b")));

    [Fact]
    public void SubstitutedElement_Appends() => Assert.Equal([1, 2], Hocon.Parse(" a = ${x}, a += ${y}, x = [1], y = 2 ").GetIntList("a"));

    [Fact]
    public void AfterCopiedObject_AppendsToCopy() => Assert.Equal([1, 2], Hocon.Parse("d { x = [] }, c : ${d}, c { x += 1, x += 2 }").GetIntList("c.x"));

    [Theory]
    [InlineData(" a = 10, a += 2 ")]
    [InlineData(" a = abc, a += 2 ")]
    [InlineData(" a = { x : y }, a += 2 ")]
    public void AfterNonArray_IsRejected(string text) => Assert.Contains("cannot concatenate", Hocon.ResolveError(text).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("x = [ { a += 1 } ]")]
    [InlineData("x += { a += 1 }")]
    public void InsideArrayElement_IsRejectedAsLimitation(string text) => Assert.Contains("inside an array element", Hocon.ParseError(text).Message, StringComparison.Ordinal);

    [Fact]
    public void LonePlus_IsRejected() => Hocon.ParseError("a + 1");
}
