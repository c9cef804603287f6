namespace SecureActors.Hocon.Tests;

// HOCON.md "Config object merging and file merging": WithFallback merges exactly like duplicate keys in one file —
// the receiver wins, objects merge, and an intermediate non-object hides the objects behind it (merging is pairwise,
// so only adjacent objects meet).
public sealed class ConfigObjectMergingTests
{
    [Fact]
    public void NonObjectBetween_HidesLaterObject()
    {
        var merged = Hocon.Parse("a : { x : 1 }").WithFallback(Hocon.Parse("a : 42")).WithFallback(Hocon.Parse("a : { y : 2 }"));
        Assert.Equal("""{"a":{"x":1}}""", merged.ToJson(false));
    }

    [Fact]
    public void AdjacentObjects_Merge()
    {
        var merged = Hocon.Parse("a : { x : 1 }").WithFallback(Hocon.Parse("a : { y : 2 }")).WithFallback(Hocon.Parse("a : 42"));
        Assert.Equal("""{"a":{"y":2,"x":1}}""", merged.ToJson(false));
    }

    [Fact]
    public void NonObjectBetween_HidesLaterUnresolvedObject()
    {
        var resolved = Hocon.Parse("a : { x : 1 }").WithFallback(Hocon.Parse("a : 42"));
        var unresolved = ConfigFactory.ParseString("a : { y : ${z} }, z = 2", new ConfigParseOptions { Resolve = false });
        Assert.Equal("""{"x":1}""", resolved.WithFallback(unresolved).Resolve(_ => null).GetConfig("a").ToJson(false));
    }

    [Fact]
    public void Receiver_WinsOnScalars() => Assert.Equal(1, Hocon.Parse("a = 1").WithFallback(Hocon.Parse("a = 2, b = 3")).GetInt("a"));

    [Fact]
    public void Fallback_FillsMissingKeys() => Assert.Equal(3, Hocon.Parse("a = 1").WithFallback(Hocon.Parse("a = 2, b = 3")).GetInt("b"));

    [Fact]
    public void NullOverride_ClearsFallbackObject() =>
        Assert.Equal(HoconType.Null, Hocon.Parse("a = null").WithFallback(Hocon.Parse("a { x = 1 }")).GetValue("a").Type);

    [Fact]
    public void UnresolvedMerge_LetsSubstitutionsSeeFallback()
    {
        var application = ConfigFactory.ParseString("greeting = \"hello \"${name}", new ConfigParseOptions { Resolve = false });
        var merged = application.WithFallback(Hocon.Parse("name = world")).Resolve(_ => null);
        Assert.Equal("hello world", merged.GetString("greeting"));
    }

    [Fact]
    public void UnresolvedMerge_SelfReferenceSeesFallbackValue()
    {
        var application = ConfigFactory.ParseString("path = ${path} [b]", new ConfigParseOptions { Resolve = false });
        Assert.Equal(["a", "b"], application.WithFallback(Hocon.Parse("path = [a]")).Resolve(_ => null).GetStringList("path"));
    }

    [Fact]
    public void MergingWithEmpty_ChangesNothing() => Assert.Equal("""{"a":1}""", Hocon.Parse("a = 1").WithFallback(ConfigFactory.Empty).ToJson(false));
}
