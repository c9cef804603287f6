namespace SecureActors.Hocon.Tests;

// HOCON.md "Duration format" (with "Units format"): a bare number is milliseconds; a string is optional whitespace,
// a number, optional whitespace and a unit from an exact, lower-case list (ns … d with their long forms).
// `infinite` is our extension, accepted only where the caller allows it.
public sealed class DurationFormatTests
{
    [Theory]
    [InlineData("1s", 10_000_000L)]
    [InlineData("2seconds", 20_000_000L)]
    [InlineData("3 s", 30_000_000L)]
    [InlineData("4000", 40_000_000L)]
    [InlineData("0.5s", 5_000_000L)]
    [InlineData("1 milli", 10_000L)]
    [InlineData("2000 micros", 20_000L)]
    [InlineData("500ns", 5L)]
    [InlineData("1m", 600_000_000L)]
    [InlineData("1 minutes", 600_000_000L)]
    [InlineData("2h", 72_000_000_000L)]
    [InlineData("1d", 864_000_000_000L)]
    [InlineData("\" 7 ms \"", 70_000L)]
    [InlineData("\"-1s\"", -10_000_000L)]
    public void Duration_ParsesNumberAndUnit(string value, long ticks) => Assert.Equal(ticks, Hocon.Parse("a = " + value).GetTimeSpan("a").Ticks);

    [Fact]
    public void LargeNanoseconds_KeepAllDigits() => Assert.Equal(48789553554352722L, Hocon.Parse("a = 4878955355435272204ns").GetTimeSpan("a").Ticks);

    [Fact]
    public void PlusSignedQuoted_Parses() => Assert.Equal(48789553554352722L, Hocon.Parse("a = \"+4878955355435272204ns\"").GetTimeSpan("a").Ticks);

    [Theory]
    [InlineData("1S")]
    [InlineData("1 MS")]
    [InlineData("1 sec")]
    [InlineData("1 fortnight")]
    [InlineData("s")]
    [InlineData("true")]
    [InlineData("infinite")]
    [InlineData("1e300d")]
    public void Duration_WithUnknownUnitOrNoNumber_IsRejected(string value) =>
        Assert.Contains("duration", Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse("a = " + value).GetTimeSpan("a")).Message, StringComparison.Ordinal);

    [Fact]
    public void Infinite_WhenAllowed_IsInfiniteTimeSpan() => Assert.Equal(Timeout.InfiniteTimeSpan, Hocon.Parse("a = infinite").GetTimeSpan("a", allowInfinite: true));
}
