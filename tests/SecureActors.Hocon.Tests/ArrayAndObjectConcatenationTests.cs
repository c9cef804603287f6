namespace SecureActors.Hocon.Tests;

// HOCON.md "Array and object concatenation": arrays next to arrays join into one array, objects next to objects
// merge (the later wins), where "array"/"object" includes substitutions resolving to one; mixing kinds is an error.
// Newlines may appear inside the brackets but not between the values.
public sealed class ArrayAndObjectConcatenationTests
{
    [Fact]
    public void AdjacentArrays_Join() => Assert.Equal([1, 2, 3, 4], Hocon.Parse(" a :  [1,2] [3,4]  ").GetIntList("a"));

    [Fact]
    public void ArraysWithSubstitutions_Join() =>
        Assert.Equal([1, 2, 3, 4, 5, 6], Hocon.Parse(" a :  ${x} [3,4] ${y}, x : [1,2], y : [5,6]  ").GetIntList("a"));

    [Fact]
    public void ArrayConcatenation_MaySpanLinesInsideBrackets() => Assert.Equal([1, 2, 3, 4], Hocon.Parse(" a :  [1,2\n ] [3,4]  ").GetIntList("a"));

    [Fact]
    public void ArraysOnSeparateLines_DoNotJoin() => Hocon.ParseError(" a :  [1,2]\n [3,4]  ");

    [Fact]
    public void AdjacentObjects_Merge() => Assert.Equal("""{"a":{"b":"c","x":"y"}}""", Hocon.Json(" a : { b : c } { x : y }  "));

    [Fact]
    public void AdjacentObjects_LaterWins() => Assert.Equal(4, Hocon.Parse(" a : { b : 1 } { b : 2 } { b : 3 } { b : 4 } ").GetInt("a.b"));

    [Fact]
    public void ObjectsWithSubstitutions_Merge() =>
        Assert.Equal("""{"a":0,"b":1,"c":2}""", Hocon.Parse(" a : ${x} { b : 1 } ${y}, x : { a : 0 }, y : { c : 2 } ").GetConfig("a").ToJson(false));

    [Fact]
    public void Inheritance_ThroughObjectConcatenation() =>
        Assert.Equal("""{"cluster-size":6,"name":"east"}""",
            Hocon.Parse("data-center-generic = { cluster-size = 6 }\ndata-center-east = ${data-center-generic} { name = \"east\" }").GetConfig("data-center-east").ToJson(false));

    [Fact]
    public void ObjectsOnSeparateLines_DoNotJoin() => Hocon.ParseError(" a :  { b : c }\n { x : y }");

    [Fact]
    public void ArraysInsideArray_JoinWhenOnOneLine() => Assert.Equal("""{"a":[[1,2,3,4]]}""", Hocon.Json("a = [ [1, 2] [3, 4] ]"));

    [Fact]
    public void ArraysInsideArray_StaySeparateAcrossLines() => Assert.Equal("""{"a":[[1,2],[3,4]]}""", Hocon.Json("a = [ [1, 2]\n [3, 4] ]"));

    [Fact]
    public void ObjectsInsideArray_MergeWhenOnOneLine() => Assert.Equal("""{"a":[{"b":"c","x":"y"}]}""", Hocon.Json("a = [ { b : c } { x : y } ]"));

    [Fact]
    public void UndefinedOptional_NextToArray_IsEmptyArray() => Assert.Equal([1], Hocon.Parse("a = [1] ${?nope}").GetIntList("a"));

    [Fact]
    public void UndefinedOptional_NextToObject_IsEmptyObject() => Assert.Equal("foo", Hocon.Parse("a = { x : foo } ${?nope}").GetString("a.x"));

    [Theory]
    [InlineData("a = [1] { b = 2 }")]
    [InlineData("a = { b = 2 } [1]")]
    [InlineData("a = [] x")]
    [InlineData("a = ${x} [1], x = { y = 1 }")]
    public void ArrayWithObjectOrString_IsRejected(string text) => Assert.Contains("cannot concatenate", Hocon.Rejected(text).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("{ { a : 1 } : \"value\" }")]
    [InlineData("{ [ \"a\" ] : \"value\" }")]
    public void ObjectOrArrayAsKey_IsRejected(string text) => Hocon.ParseError(text);
}
