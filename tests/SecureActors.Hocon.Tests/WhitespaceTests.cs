namespace SecureActors.Hocon.Tests;

// HOCON.md "Whitespace": Unicode space, line and paragraph separators (including non-breaking spaces), the BOM and
// the ASCII control whitespace all count as whitespace; only '\n' counts as a newline.
public sealed class WhitespaceTests
{
    [Theory]
    [InlineData('\u00A0')]
    [InlineData('\u2003')]
    [InlineData('\u2007')]
    [InlineData('\u202F')]
    [InlineData('\uFEFF')]
    [InlineData('\t')]
    [InlineData('\v')]
    [InlineData('\f')]
    [InlineData('\r')]
    [InlineData('\u001C')]
    [InlineData('\u001F')]
    public void UnicodeWhitespace_AroundSeparator_IsSkipped(char space) =>
        Assert.Equal("""{"a":1}""", Hocon.Json($"{space}a{space}={space}1{space}"));

    [Fact]
    public void ByteOrderMark_AtStartOfFile_IsIgnored() => Assert.Equal(1, Hocon.Parse("\uFEFFa = 1").GetInt("a"));

    [Fact]
    public void ByteOrderMark_InFileOnDisk_IsIgnored()
    {
        using var directory = new TempConfigDirectory();
        var file = directory.Write("bom.conf", "");
        File.WriteAllText(file, "a = 1\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(1, ConfigFactory.ParseFile(file).GetInt("a"));
    }

    [Fact]
    public void EmSpace_BetweenValues_IsKeptInConcatenation() => Assert.Equal("a\u2003b", Hocon.Parse("x = a\u2003b").GetString("x"));

    [Fact]
    public void CarriageReturn_IsNotANewline_SoFieldsNeedLineFeeds() => Assert.Equal("""{"a":1,"b":2}""", Hocon.Json("a = 1\r\nb = 2\r\n"));

    [Fact]
    public void CarriageReturnAlone_DoesNotSeparateFields() => Hocon.ParseError("a = 1\rb = 2");

    [Fact]
    public void LineSeparator_DoesNotSeparateFields() => Hocon.ParseError("a = 1\u2028b = 2");
}
