namespace SecureActors.Hocon.Tests;

// JSON output (HOCON.md "Goals": HOCON is a JSON superset and must keep JSON's data): resolved trees render as
// JSON with keys in written order, numbers as written, booleans and null as JSON literals and strings escaped; any
// valid JSON document parses to the same data.
public sealed class JsonOutputTests
{
    [Fact]
    public void ValidJson_RoundTrips()
    {
        const string json = """{"foo":{"bar":"baz","woo":[1,2,3,4],"w00t":true,"a":false,"b":3.14,"c":null,"e":-1e-5},"s":"q\"\\\n\t\u0001"}""";
        Assert.Equal(json, Hocon.Json(json));
    }

    [Fact]
    public void NumbersAndUnitsStrings_KeepWrittenForm() => Assert.Equal("""{"n":1.50,"d":"10s","z":"512K"}""", Hocon.Json("n = 1.50, d = 10s, z = 512K"));

    [Fact]
    public void LeadingZeroNumber_RendersAsValidJson() => Assert.Equal("""{"n":7}""", Hocon.Json("n = 007"));

    [Fact]
    public void BarePointNumbers_RenderAsValidJson() => Assert.Equal("""{"a":7,"b":-0.25}""", Hocon.Json("a = 7., b = -.25"));

    [Fact]
    public void Indented_PutsEachFieldOnItsOwnLine() => Assert.Equal("{\n  \"a\": {\n    \"b\": [\n      1\n    ]\n  }\n}", Hocon.Parse("a.b = [1]").ToJson());

    [Fact]
    public void EmptyContainers_RenderCompactly() => Assert.Equal("{\n  \"o\": {},\n  \"l\": []\n}", Hocon.Parse("o {}, l = []").ToJson());

    [Fact]
    public void NestedJson_ParsesDeeply() => Assert.Equal(42, Hocon.Parse("""{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":42}}}}}}}}""").GetInt("a.a.a.a.a.a.a.a"));
}
