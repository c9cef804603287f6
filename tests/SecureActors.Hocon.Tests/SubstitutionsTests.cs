namespace SecureActors.Hocon.Tests;

// HOCON.md "Substitutions": ${path} is looked up from the root after the whole document (includes too) is parsed,
// so it can look forward and sees the last value of its path (the merged object, or the last non-object).
// ${?path} may be undefined: then the field is not created (an earlier value stays), an array element is dropped,
// and in a concatenation it counts as empty. An undefined ${path} is an error. Quoted strings hold no substitutions.
public sealed class SubstitutionsTests
{
    [Fact]
    public void Substitution_LooksForward() => Assert.Equal(2, Hocon.Parse("a = ${b}\nb = 2").GetInt("a"));

    [Fact]
    public void Substitution_SeesFinalValue() => Assert.Equal(3, Hocon.Parse("b = 1\na = ${b}\nb = 3").GetInt("a"));

    [Fact]
    public void Substitution_SeesMergedObject() =>
        Assert.Equal("""{"b":1,"d":2}""", Hocon.Parse("a = {b = 1}, c = ${a}, a = {d = 2}").GetConfig("c").ToJson(false));

    [Fact]
    public void Substitution_IsAbsoluteFromRoot() => Assert.Equal(1, Hocon.Parse("x = 1\na { x = 2, y = ${x} }").GetInt("a.y"));

    [Fact]
    public void Substitution_KeepsTypeOfObject() => Assert.Equal(HoconType.Object, Hocon.Parse("a { b = 1 }\nc = ${a}").GetValue("c").Type);

    [Fact]
    public void Substitution_InsideQuotes_IsText() => Assert.Equal("${a}", Hocon.Parse("a = 1\nb = \"${a}\"").GetString("b"));

    [Fact]
    public void UnquotedTextAroundSubstitution_Concatenates() =>
        Assert.Equal("cat is my favorite animal", Hocon.Parse("animal.favorite = cat\nkey : ${animal.favorite} is my favorite animal").GetString("key"));

    [Fact]
    public void Undefined_IsErrorNamingPathAndLine()
    {
        var error = Hocon.ResolveError("a = 1\nb = ${missing.path}");
        Assert.Contains("${missing.path}", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.conf:2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UndefinedOptional_DoesNotCreateField() => Assert.False(Hocon.Parse("a = ${?nope}").HasPath("a"));

    [Fact]
    public void UndefinedOptional_KeepsEarlierValue() => Assert.Equal(1, Hocon.Parse("a = 1\na = ${?nope}").GetInt("a"));

    [Fact]
    public void UndefinedOptional_InArray_IsDropped() => Assert.Equal([1], Hocon.Parse("a = [${?nope}, 1]").GetIntList("a"));

    [Fact]
    public void UndefinedOptional_InString_IsEmpty() => Assert.Equal("foo", Hocon.Parse("a = foo${?nope}").GetString("a"));

    [Fact]
    public void UndefinedOptional_InString_KeepsWhitespaceAroundIt() =>
        Assert.Equal("is  and ", Hocon.Parse("a = is ${?x} and ${?y}").GetString("a"));

    [Fact]
    public void UndefinedOptional_BeforeString_KeepsWhitespaceAfterIt() => Assert.Equal(" bar", Hocon.Parse("a = ${?x} bar").GetString("a"));

    [Fact]
    public void TwoUndefinedOptionals_DoNotCreateField() => Assert.False(Hocon.Parse("a = ${?x}${?y}").HasPath("a"));

    [Fact]
    public void TwoUndefinedOptionals_WithSpaceBetween_AreThatSpace()
    {
        var config = Hocon.Parse("name = unset\nname = ${?FIRST}  ${?LAST}\nlist = [${?p} ${?q}]");
        Assert.Equal("  ", config.GetString("name"));
        Assert.Equal([" "], config.GetStringList("list"));
    }

    [Fact]
    public void UndefinedOptional_SpaceThenArray_IsTheArray() =>
        Assert.Equal([7, 8], Hocon.Parse("tail = [7, 8]\nall = ${?head} ${tail}").GetIntList("all"));

    [Fact]
    public void DefinedOptional_IsUsed() => Assert.Equal("foobar", Hocon.Parse("bar = bar\na = foo${?bar}").GetString("a"));

    [Fact]
    public void Substitution_OfNull_IsNull() => Assert.Equal(HoconType.Null, Hocon.Parse("a = ${b}\nb = null").GetValue("a").Type);

    [Fact]
    public void HiddenUndefinedSubstitution_IsNeverEvaluated() => Assert.Equal(42, Hocon.Parse("foo : ${does-not-exist}\nfoo : 42").GetInt("foo"));

    // An object hides a non-object below it just as a non-object hides anything below it, so an array that an
    // object (here one that only turns out to be an object once its substitution resolves) hides is never evaluated.
    [Fact]
    public void ArrayHiddenByLaterObject_IsNeverEvaluated() =>
        Assert.Equal("""{"b":2}""", Hocon.Parse("list = [${missing}]\nshape = { b = 2 }\nlist = ${shape}").GetConfig("list").ToJson(false));

    // An object does merge with an object below it, so that object's substitutions are still needed.
    [Fact]
    public void ObjectMergedWithEarlierObject_StillNeedsItsSubstitutions() =>
        Assert.Throws<HoconResolveException>(() => Hocon.Parse("o { x = ${missing} }\no = { y = 1 }"));

    [Fact]
    public void ObjectReferringInsideItself_LooksForward() => Assert.Equal(43, Hocon.Parse("bar : { foo : 42, baz : ${bar.foo} }\nbar : { foo : 43 }").GetInt("bar.baz"));

    [Fact]
    public void MutuallyReferringObjects_Resolve()
    {
        var config = Hocon.Parse("bar : { a : ${foo.d}, b : 1 }\nbar.b = 3\nfoo : { c : ${bar.b}, d : 2 }\nfoo.d = 4");
        Assert.Equal(4, config.GetInt("bar.a"));
        Assert.Equal(3, config.GetInt("foo.c"));
    }

    [Fact]
    public void SubstitutionIntoMiddleOfObject_ResolvesOnlyWhatItNeeds() => Assert.Equal(42, Hocon.Parse("a = { x : 42, y : ${a.x} }").GetInt("a.y"));

    [Fact]
    public void FieldReachingSiblingThroughAlias_ResolvesOnlyThatSibling()
    {
        var config = Hocon.Parse("base { port = ${copy.default-port}, default-port = 80 }\ncopy = ${base}");
        Assert.Equal(80, config.GetInt("base.port"));
        Assert.Equal(80, config.GetInt("copy.port"));
    }

    [Fact]
    public void FieldReachingSiblingThroughNestedAlias_ResolvesOnlyThatSibling() =>
        Assert.Equal("on", Hocon.Parse("p { mode = ${q.inner.fallback}, fallback = on }\nq { inner = ${p} }").GetString("p.mode"));

    [Fact(Timeout = 60_000)]
    public async Task FieldFoundThroughTwoAliasesAtEveryLevel_IsLookedUpOnceEach()
    {
        // Each level stacks two aliases of the level below: looking through every one anew would take 2^48 lookups.
        var lines = new List<string> { "probe = ${level48.seed}", "level0 { seed = 5 }" };
        for (var level = 1; level <= 48; level++)
        {
            lines.Add($"level{level} = ${{level{level - 1}}}");
            lines.Add($"level{level} = ${{level{level - 1}}}");
            lines.Add($"level{level} {{ own{level} = {level} }}");
        }

        var config = await Task.Run(() => Hocon.Parse(string.Join('\n', lines)));

        Assert.Equal(5, config.GetInt("probe"));
        Assert.Equal(48, config.GetInt("level48.own48"));
    }

    [Fact]
    public void LookingThroughAlias_StillLetsLaterFieldsOverride() =>
        Assert.Equal(9, Hocon.Parse("t { a = ${u.b}, b = 2 }\nu = ${t}\nu.b = 9").GetInt("t.a"));

    [Fact]
    public void OrderDependentCycle_GivesBothTheSameValue()
    {
        var config = Hocon.Parse("a : 1\nb : 2\na : ${b}\nb : ${a}");
        Assert.Equal(config.GetInt("a"), config.GetInt("b"));
    }

    [Theory]
    [InlineData("bar : ${foo}\nfoo : ${bar}")]
    [InlineData("a : ${b}\nb : ${c}\nc : ${a}")]
    [InlineData("a : { b : ${a} }")]
    [InlineData("a : [${a}]")]
    public void Cycle_IsRejected(string text) => Assert.Contains("cycle", Hocon.ResolveError(text).Message, StringComparison.Ordinal);

    [Fact]
    public void UnresolvedConfig_RefusesReading()
    {
        var unresolved = ConfigFactory.ParseString("a = ${b}", new ConfigParseOptions { Resolve = false });
        Assert.False(unresolved.IsResolved);
        Assert.Throws<ConfigException>(() => unresolved.GetInt("a"));
        Assert.Equal(1, unresolved.WithFallback(Hocon.Parse("b = 1")).Resolve().GetInt("a"));
    }
}
