namespace SecureActors.Hocon.Tests;

// HOCON.md "Conversion of numerically-indexed objects to arrays": an object whose keys are integers reads as an
// array, sorted by the integer value and skipping gaps, but only where a list is asked for (lazily): keys that are
// not integers are ignored, and an empty object or one with no integer keys is not a list.
public sealed class NumericallyIndexedObjectsTests
{
    [Fact]
    public void IntegerKeys_ReadAsListInOrder() => Assert.Equal(["a", "b"], Hocon.Parse("foo.1 = b\nfoo.0 = a").GetStringList("foo"));

    [Fact]
    public void GapsInIndices_AreDropped() => Assert.Equal([10, 30], Hocon.Parse("foo { \"0\" : 10, \"2\" : 30 }").GetIntList("foo"));

    [Fact]
    public void IndicesSortNumerically_NotTextually() => Assert.Equal([2, 10], Hocon.Parse("foo { \"10\" : 10, \"2\" : 2 }").GetIntList("foo"));

    [Fact]
    public void NonIntegerKeys_AreIgnored() => Assert.Equal([1], Hocon.Parse("foo { \"0\" : 1, name : x }").GetIntList("foo"));

    [Fact]
    public void Conversion_IsLazy_ObjectStaysObject() => Assert.Equal(HoconType.Object, Hocon.Parse("foo.0 = a").GetValue("foo").Type);

    [Fact]
    public void Conversion_AppliesInArrayConcatenation() => Assert.Equal(["x", "a"], Hocon.Parse("foo.0 = a\nbar = [x] ${foo}").GetStringList("bar"));

    [Fact]
    public void EmptyObject_IsNotAList() => Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse("foo {}").GetList("foo"));

    [Fact]
    public void ObjectWithoutIntegerKeys_IsNotAList() => Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse("foo { a = 1 }").GetList("foo"));

    [Fact]
    public void NegativeKeys_AreNotIndices() => Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse("foo { \"-1\" = 1 }").GetList("foo"));
}
