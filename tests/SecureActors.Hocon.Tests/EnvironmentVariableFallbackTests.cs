namespace SecureActors.Hocon.Tests;

// HOCON.md "Substitution fallback to environment variables": a substitution the configuration does not define at
// all (not even as null) is looked up in the environment; the result is always a string (converted on demand),
// an empty variable stays an empty string, and a null in the configuration blocks the lookup.
public sealed class EnvironmentVariableFallbackTests
{
    private static Config ParseWith(string text, params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(variable => variable.Name, variable => variable.Value, StringComparer.Ordinal);
        return ConfigFactory.ParseString(text, new ConfigParseOptions { Environment = name => environment.GetValueOrDefault(name) });
    }

    [Fact]
    public void UndefinedPath_ReadsEnvironment() => Assert.Equal("/home/me", ParseWith("home = ${HOME}", ("HOME", "/home/me")).GetString("home"));

    [Fact]
    public void EnvironmentValue_IsStringButConverts()
    {
        var config = ParseWith("port = ${PORT}", ("PORT", "8080"));
        Assert.Equal(HoconType.String, config.GetValue("port").Type);
        Assert.Equal(8080, config.GetInt("port"));
    }

    [Fact]
    public void ConfigValue_WinsOverEnvironment() => Assert.Equal("config", ParseWith("HOME = config\nh = ${HOME}", ("HOME", "env")).GetString("h"));

    [Fact]
    public void NullInConfig_BlocksEnvironment() => Assert.Equal(HoconType.Null, ParseWith("HOME = null\nh = ${HOME}", ("HOME", "env")).GetValue("h").Type);

    [Fact]
    public void EmptyVariable_IsEmptyString() => Assert.Equal("", ParseWith("v = ${EMPTY}", ("EMPTY", "")).GetString("v"));

    [Fact]
    public void OptionalOverride_FromEnvironment_ReplacesDefault() =>
        Assert.Equal("prod", ParseWith("mode = dev\nmode = ${?MODE}", ("MODE", "prod")).GetString("mode"));

    [Fact]
    public void OptionalOverride_WithoutVariable_KeepsDefault() => Assert.Equal("dev", ParseWith("mode = dev\nmode = ${?MODE}").GetString("mode"));

    [Fact]
    public void DottedPath_LooksUpDottedName() => Assert.Equal("x", ParseWith("v = ${java.version}", ("java.version", "x")).GetString("v"));

    [Fact]
    public void MissingEverywhere_IsError() => Assert.Throws<HoconResolveException>(() => ParseWith("v = ${NOT_SET_ANYWHERE}"));

    [Fact]
    public void EnvironmentInConcatenation_JoinsAsText() => Assert.Equal("user=me", ParseWith("v = \"user=\"${USER}", ("USER", "me")).GetString("v"));
}
