namespace SecureActors.Hocon.Tests;

// HOCON.md "Duplicate keys and object merging": a later duplicate key overrides an earlier one unless both values
// are objects, which then merge recursively (the later object's fields win). Setting a key to a non-object in
// between stops the merge, because merging happens two values at a time.
public sealed class DuplicateKeysAndObjectMergingTests
{
    [Fact]
    public void DuplicateObjects_Merge() =>
        Hocon.SameAs("{ \"foo\" : { \"a\" : 42, \"b\" : 43 } }", "{ \"foo\" : { \"a\" : 42 }, \"foo\" : { \"b\" : 43 } }");

    [Fact]
    public void NullBetweenObjects_PreventsMerge() =>
        Hocon.SameAs("{ \"foo\" : { \"b\" : 43 } }", "{ \"foo\" : { \"a\" : 42 }, \"foo\" : null, \"foo\" : { \"b\" : 43 } }");

    [Fact]
    public void DuplicateScalars_LaterWins() => Assert.Equal("bar2", Hocon.Parse("{ \"foo\" : \"bar\", \"foo\" : \"bar2\" }").GetString("foo"));

    [Fact]
    public void NestedObjects_MergeRecursively() =>
        Assert.Equal("""{"a":{"b":{"x":1,"y":3,"z":4}}}""", Hocon.Json("a { b { x = 1, y = 2 } }\na { b { y = 3, z = 4 } }"));

    [Fact]
    public void ObjectAfterScalar_Replaces() => Assert.Equal("""{"a":{"b":2}}""", Hocon.Json("a = 1\na { b = 2 }"));

    [Fact]
    public void ScalarAfterObject_Replaces() => Assert.Equal("""{"a":1}""", Hocon.Json("a { b = 2 }\na = 1"));

    [Fact]
    public void ArrayAfterArray_ReplacesRatherThanAppends() => Assert.Equal("""{"a":[3]}""", Hocon.Json("a = [1, 2]\na = [3]"));

    [Fact]
    public void MergedKeys_KeepFirstWrittenOrder() => Assert.Equal(["z", "a", "m"], Hocon.Parse("z = 1\na = 2\nz = 3\nm = 4").GetKeys());
}
