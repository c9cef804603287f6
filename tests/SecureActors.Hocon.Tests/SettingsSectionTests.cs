namespace SecureActors.Hocon.Tests;

public sealed class SettingsSectionTests
{
    private static SettingsSection Section(string text) =>
        new(ConfigFactory.ParseString(text, new ConfigParseOptions { OriginDescription = "app.conf" }).GetConfig("app"), "app");

    [Fact]
    public void ValuesInsideTheirBounds_AreReturned()
    {
        var app = Section("app { count = 3, size = 2 KiB, wait = 0 s, forever = infinite, ratio = 0.5, inner.limit = 7 }");

        Assert.Equal(3, app.Int("count", 1, 3));
        Assert.Equal(2048, app.ByteSize("size", 1024, 4096));
        Assert.Equal(TimeSpan.Zero, app.Duration("wait", zeroAllowed: true));
        Assert.Equal(Timeout.InfiniteTimeSpan, app.Duration("forever", allowInfinite: true));
        Assert.Equal(0.5, app.Positive("ratio"));
        Assert.Equal(7L, app.Section("inner").Long("limit", 7));
    }

    [Theory]
    [InlineData("count", "app.conf:3: app.count = 4 must be between 1 and 3")]
    [InlineData("wait", "app.conf:4: app.wait = 0 s must be longer than zero")]
    [InlineData("size", "app.conf:5: app.size = 512 must be 1 KiB to 4 KiB (a page at least)")]
    [InlineData("ratio", "app.conf:6: app.ratio = -1 must be a positive number")]
    [InlineData("inner", "app.conf:7: app.inner.limit = 0 must be at least 1")]
    public void ValueOutsideItsBounds_IsLocatedAndNamesTheRule(string key, string expected)
    {
        var app = Section("app {\n  # user settings\n  count = 4\n  wait = 0 s\n  size = 512\n  ratio = -1\n  inner.limit = 0\n}");

        var error = Assert.Throws<ConfigException>(() =>
        {
            _ = key switch
            {
                "count" => app.Int(key, 1, 3),
                "wait" => (object)app.Duration(key),
                "size" => app.ByteSize(key, 1024, 4096, why: "a page at least"),
                "ratio" => app.Positive(key),
                _ => app.Section(key).Long("limit", 1),
            };
        });

        Assert.Equal(expected, error.Message);
        Assert.NotNull(error.Origin);
    }
}
