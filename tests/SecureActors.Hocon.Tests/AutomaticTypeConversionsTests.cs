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
    [InlineData("a = 3000000000")]
    public void NonIntegers_AreNotInts(string text) => Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse(text).GetInt("a"));

    // Lightbend's getInt/getLong/getBytes read a fraction by truncating it toward zero.
    [Theory]
    [InlineData("a = 2.75", 2)]
    [InlineData("a = -2.75", -2)]
    [InlineData("a = \"6.5\"", 6)]
    [InlineData("a = 4e-1", 0)]
    public void Fraction_TruncatesTowardZero(string text, int expected)
    {
        var config = Hocon.Parse(text);
        Assert.Equal(expected, config.GetInt("a"));
        Assert.Equal(expected, config.GetLong("a"));
    }

    [Fact]
    public void FractionalByteSize_Truncates() => Assert.Equal(3L, Hocon.Parse("a = 3.9").GetByteSize("a"));

    // Out of range is judged on the written number (not its rounded double), and is an error rather than clamped.
    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("-9223372036854775808.5")]
    [InlineData("2e40")]
    [InlineData("1e999")]
    [InlineData("\"NaN\"")]
    [InlineData("\"-Infinity\"")]
    public void OutOfLongRange_IsErrorSayingSo(string value) =>
        Assert.Contains("out of range", Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse("a = " + value).GetLong("a")).Message, StringComparison.Ordinal);

    [Fact]
    public void LongBoundary_WrittenAsFraction_StillReads() => Assert.Equal(long.MinValue, Hocon.Parse("a = -9223372036854775808.0").GetLong("a"));

    [Fact]
    public void NonFiniteWords_ReadAsDoubles()
    {
        var config = Hocon.Parse("a = NaN, b = \"-Infinity\"");
        Assert.True(double.IsNaN(config.GetDouble("a")));
        Assert.Equal(double.NegativeInfinity, config.GetDouble("b"));
    }

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
