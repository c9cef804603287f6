using System.Text;

namespace SecureActors.Hocon.Tests;

// Robustness (issue #2: "never a bare exception"): whatever text arrives — mutated documents, token soup, deep
// nesting, huge numbers, odd Unicode — parsing, resolving and reading either succeed or throw a ConfigException.
// The random cases are seeded so a failure replays exactly; the seed and input are in the assertion message.
public sealed class RobustnessTests
{
    private static readonly string[] Corpus =
    [
        "a = 1\nb = ${a}\nc = [1, 2, ${?x}] [3]\nd { e = \"\"\"multi\nline\"\"\" }",
        "path = [ /bin ]\npath = ${path} [ /usr/bin ]\nn += 1\nn += { x = y }",
        "{ \"foo\" : { \"bar\" : 1e5, \"baz\" : [true, false, null] }, foo.qux = 10s }",
        "include \"missing\"\nx = ${?HOME}\ny = a b ${x} \"c\"\nz = { w = ${y} } { v = 2 }",
        "a.b.\"c.d\" = 2K\nlist.0 = a\nlist.1 = b\ncopy = ${list}\nself = ${?self}x",
        "bar : { foo : 42, baz : ${bar.foo} }\nbar : { foo : 43 }\nq = ${bar} { r = 1 }",
    ];

    private const string Alphabet = "{}[]:=,+$?\"#/\\\n \t.-0123456789eEabcnulltrue`^!@*&\uFEFF\u2003\ud800\u0000()";

    private static readonly string[] Fragments = ["${", "${?", "}", "\"\"\"", "include ", "required(", "file(", "+=", "//", "#", "[", "]", "{", "\n", ",", ".", "\"", "\\u12", "1e99999", "-", "true", "null", "a.b"];

    // `make fuzz` sets SECUREACTORS_FUZZ_SECONDS: each fuzz loop then carries on along the same seeded
    // stream until that many seconds have passed (the CI count of cases still runs first). Unset, the
    // short CI budget below is all that runs.
    private static readonly double FuzzSeconds =
        double.TryParse(Environment.GetEnvironmentVariable("SECUREACTORS_FUZZ_SECONDS"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;

    private static bool KeepFuzzing(int iteration, int ciIterations, long startedAt, int share = 1) =>
        iteration < ciIterations || System.Diagnostics.Stopwatch.GetElapsedTime(startedAt).TotalSeconds < FuzzSeconds / share;

    [Fact]
    public void MutatedDocuments_OnlyThrowConfigExceptions()
    {
        var random = new Random(20_24);
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; KeepFuzzing(i, 3000, startedAt); i++)
        {
            var text = Mutate(Corpus[random.Next(Corpus.Length)], random);
            AssertOnlyConfigExceptions(text, i);
        }
    }

    [Fact]
    public void TokenSoup_OnlyThrowsConfigExceptions()
    {
        var random = new Random(7);
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; KeepFuzzing(i, 2000, startedAt); i++)
        {
            var text = new StringBuilder();
            var pieces = random.Next(1, 30);
            for (var p = 0; p < pieces; p++)
            {
                text.Append(random.Next(3) == 0 ? Alphabet[random.Next(Alphabet.Length)].ToString() : Fragments[random.Next(Fragments.Length)]);
            }

            AssertOnlyConfigExceptions(text.ToString(), i);
        }
    }

    [Theory]
    [InlineData("x = ", "[", "1")]
    [InlineData("x = ", "{a:", "1")]
    [InlineData("", "a {", "b = 1")]
    [InlineData("", "a.", "b = 1")]
    public void DeepNesting_IsALocatedError(string prefix, string opener, string suffix)
    {
        var text = prefix + string.Concat(Enumerable.Repeat(opener, 100_000)) + suffix;
        Assert.Contains("nested more than", Hocon.ParseError(text).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongSubstitutionChain_IsAnErrorNotAStackOverflow()
    {
        var text = string.Join("\n", Enumerable.Range(0, 5_000).Select(i => $"a{i} = ${{a{i + 1}}}")) + "\na5000 = 1";
        Assert.Contains("levels deep", Hocon.ResolveError(text).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"0123456789abcdef\"", "${{a{0}}}${{a{0}}}")] // strings: the classic "billion laughs"
    [InlineData("[1, 2, 3, 4]", "${{a{0}}} ${{a{0}}}")] // arrays concatenated
    [InlineData("{ x = 1 }", "{{ left = ${{a{0}}}, right = ${{a{0}}} }}")] // objects that hold the level below twice
    public void ValueDoubledAtEveryLevel_IsALocatedErrorNotAnOutOfMemory(string first, string levelFormat)
    {
        var lines = new List<string> { "a0 = " + first };
        for (var level = 1; level <= 60; level++)
        {
            lines.Add($"a{level} = " + string.Format(System.Globalization.CultureInfo.InvariantCulture, levelFormat, level - 1));
        }

        var error = Hocon.ResolveError(string.Join("\n", lines));

        Assert.Contains("grows past 16,777,216 characters and values", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"^[^:]*:\d+: ", error.Message);
    }

    [Fact]
    public void ValueRepeatedBelowTheLimit_Resolves()
    {
        var text = "a0 = \"0123456789abcdef\"\n" + string.Join("\n", Enumerable.Range(1, 16).Select(level => $"a{level} = ${{a{level - 1}}}${{a{level - 1}}}"));

        Assert.Equal(16 << 16, Hocon.Parse(text).GetString("a16").Length);
    }

    [Fact]
    public void ModerateSubstitutionChain_Resolves()
    {
        var text = string.Join("\n", Enumerable.Range(0, 100).Select(i => $"a{i} = ${{a{i + 1}}}")) + "\na100 = done";
        Assert.Equal("done", Hocon.Parse(text).GetString("a0"));
    }

    [Theory]
    [InlineData("a = 1e99999999999999999999")]
    [InlineData("a = 99999999999999999999999999999999999999")]
    [InlineData("a = \"\\ud800\"")]
    [InlineData("a = \ud800x")]
    [InlineData("a = x\u0000y")]
    [InlineData("\uFEFF\uFEFFa = 1")]
    public void OddInput_ParsesOrFailsCleanly(string text) => AssertOnlyConfigExceptions(text, 0);

    [Fact]
    public void HugeNumber_KeepsWrittenTextButIsNotALong()
    {
        var config = Hocon.Parse("a = 99999999999999999999");
        Assert.Equal("99999999999999999999", config.GetString("a"));
        Assert.Throws<ConfigWrongTypeException>(() => config.GetLong("a"));
    }

    private static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(builder.Length + 1);
            switch (random.Next(4))
            {
                case 0:
                    builder.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 1:
                    builder.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2 when at < builder.Length:
                    builder.Remove(at, Math.Min(random.Next(1, 6), builder.Length - at));
                    break;
                default:
                    var from = random.Next(builder.Length);
                    builder.Insert(at, builder.ToString(from, Math.Min(random.Next(1, 12), builder.Length - from)));
                    break;
            }
        }

        return builder.ToString();
    }

    private static void AssertOnlyConfigExceptions(string text, int caseNumber)
    {
        var error = Record.Exception(() =>
        {
            var config = Hocon.Parse(text);
            _ = config.ToJson();
            foreach (var key in config.GetKeys())
            {
                var path = "\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
                _ = Record.Exception(() => config.GetString(path)) is { } e and not ConfigException ? throw e : 0;
                _ = Record.Exception(() => config.GetByteSize(path)) is { } f and not ConfigException ? throw f : 0;
                _ = Record.Exception(() => config.GetTimeSpan(path)) is { } g and not ConfigException ? throw g : 0;
            }
        });
        Assert.True(error is null or ConfigException, $"case {caseNumber}: {error?.GetType().Name} for input {System.Text.Json.JsonSerializer.Serialize(text)}: {error}");
    }
}
