namespace SecureActors.Hocon.Tests;

// HOCON.md "Size in bytes format": a bare number is bytes; a string is a number and a unit. B/b/byte(s) are bytes;
// kB, MB, GB … and the kilo-/mega- words are powers of ten; the single letters (either case), Ki/KiB … and the
// kibi-/mebi- words are powers of two. Values beyond 64 bits are errors.
public sealed class SizeInBytesFormatTests
{
    [Theory]
    [InlineData("1048576", 1_048_576L)]
    [InlineData("10B", 10L)]
    [InlineData("10 bytes", 10L)]
    [InlineData("1b", 1L)]
    [InlineData("1kB", 1_000L)]
    [InlineData("1 kilobytes", 1_000L)]
    [InlineData("1MB", 1_000_000L)]
    [InlineData("2 megabyte", 2_000_000L)]
    [InlineData("1GB", 1_000_000_000L)]
    [InlineData("1K", 1_024L)]
    [InlineData("1k", 1_024L)]
    [InlineData("1Ki", 1_024L)]
    [InlineData("1KiB", 1_024L)]
    [InlineData("1 kibibytes", 1_024L)]
    [InlineData("1M", 1_048_576L)]
    [InlineData("1024K", 1_048_576L)]
    [InlineData("1m", 1_048_576L)]
    [InlineData("0.5M", 524_288L)]
    [InlineData("1G", 1_073_741_824L)]
    [InlineData("1 gibibyte", 1_073_741_824L)]
    [InlineData("1TB", 1_000_000_000_000L)]
    [InlineData("1T", 1_099_511_627_776L)]
    [InlineData("1PiB", 1_125_899_906_842_624L)]
    [InlineData("1 EB", 1_000_000_000_000_000_000L)]
    [InlineData("\" 3 KiB \"", 3_072L)]
    public void Size_ParsesNumberAndUnit(string value, long bytes) => Assert.Equal(bytes, Hocon.Parse("a = " + value).GetByteSize("a"));

    [Theory]
    [InlineData("1 KB fish")]
    [InlineData("1KB")]
    [InlineData("1 kb")]
    [InlineData("1 kiB")]
    [InlineData("1 xB")]
    [InlineData("1ZB")]
    [InlineData("1 yobibytes")]
    [InlineData("1e30")]
    [InlineData("KiB")]
    [InlineData("1.5.2K")]
    public void Size_WithUnknownUnitOrOverflow_IsRejected(string value) =>
        Assert.Contains("size in bytes", Assert.Throws<ConfigWrongTypeException>(() => Hocon.Parse("a = " + value).GetByteSize("a")).Message, StringComparison.Ordinal);
}
