namespace SecureActors.Hocon.Tests;

// HOCON.md "Automatic type conversions": numbers and booleans read as strings; strings read as numbers by JSON
// rules and as booleans when they are true/yes/on/false/no/off. Null never converts, and objects and arrays never
// convert to or from anything (other than numerically-indexed objects to lists).
public sealed class AutomaticTypeConversionsTests
{
    [Theory]
    [InlineData("a = 42", "42")]
    [InlineData("a = 1.50", "1.50")]
    [InlineData("a = true", "true")]
    [InlineData("a = false", "false")]
    public void ScalarToString_UsesWrittenText(string text, string expected) => Assert.Equal(expected, Hocon.Parse(text).GetString("a"));

    [Theory]
    [InlineData("\"57\"", 57)]
    [InlineData("\"-3\"", -3)]
    [InlineData("\"1e3\"", 1000)]
    public void StringToNumber_ParsesJson(string value, long expected) => Assert.Equal(expected, Hocon.Parse("a = " + value).GetLong("a"));

    [Fact]
    public void StringStartingWithDot_ReadsAsDouble() => Assert.Equal(0.33, Hocon.Parse("a = .33").GetDouble("a"), 10);

    [Theory]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("\"true\"", true)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("\"false\"", false)]
    public void StringToBoolean_AcceptsSixWords(string value, bool expected) => Assert.Equal(expected, Hocon.Parse("a = " + value).GetBoolean("a"));

    [Theory]
    [InlineData("a = maybe")]
    [InlineData("a = 1")]
    [InlineData("a = YES")]
    [InlineData("a = null")]
    public void OtherValues_AreNotBooleans(string text) => Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse(text).GetBoolean("a"));

    [Theory]
    [InlineData("a = null")]
    [InlineData("a = abc")]
    [InlineData("a = { b = 1 }")]
    [InlineData("a = [1]")]
    [InlineData("a = 1.5")]
    [InlineData("a = 3000000000")]
    public void NonIntegers_AreNotInts(string text) => Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse(text).GetInt("a"));

    [Theory]
    [InlineData("a = null")]
    [InlineData("a = { b = 1 }")]
    [InlineData("a = [1]")]
    public void NullObjectArray_AreNotStrings(string text) => Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse(text).GetString("a"));

    [Fact]
    public void Scalar_IsNotAnObject() => Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse("a = 1").GetConfig("a"));

    [Fact]
    public void LongRange_IsKept() => Assert.Equal(long.MaxValue, Hocon.Parse("a = 9223372036854775807").GetLong("a"));

    [Fact]
    public void StringList_ConvertsScalars() => Assert.Equal(["1", "true", "x"], Hocon.Parse("a = [1, true, x]").GetStringList("a"));
}
