namespace SecureActors.Hocon.Parsing;

/// <summary>
/// The syntax chosen for one document, with the reason JSON errors quote: a strict-JSON rejection of, say, a comment
/// surprises anyone who thought they were writing HOCON, so the message says why the document is held to JSON.
/// </summary>
internal sealed record ChosenSyntax(ConfigSyntax Syntax, string Reason);

internal static class DocumentSyntax
{
    /// <summary>
    /// As Lightbend's Parseable does: an explicit syntax wins, else the name's extension decides, else HOCON.
    /// Extensions are compared ignoring case, as the .properties check always has been here.
    /// </summary>
    public static ChosenSyntax Choose(ConfigSyntax? requested, string? name, string what)
    {
        if (requested is { } explicitSyntax)
        {
            return new ChosenSyntax(explicitSyntax, $"this {what} is parsed as {Describe(explicitSyntax)} because ConfigParseOptions.Syntax is {explicitSyntax}");
        }

        var guessed = name is null ? null : FromExtension(name);
        return guessed is { } byName
            ? new ChosenSyntax(byName, $"this {what} is parsed as {Describe(byName)} because its name ends in {Extension(byName)}")
            : new ChosenSyntax(ConfigSyntax.Conf, $"this {what} is parsed as HOCON");
    }

    public static ConfigSyntax? FromExtension(string name)
    {
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return ConfigSyntax.Json;
        }

        if (name.EndsWith(".properties", StringComparison.OrdinalIgnoreCase))
        {
            return ConfigSyntax.Properties;
        }

        return name.EndsWith(".conf", StringComparison.OrdinalIgnoreCase) ? ConfigSyntax.Conf : null;
    }

    public static ObjectNode Parse(string text, ChosenSyntax syntax, IncludeContext context, HoconPath includePrefix) => syntax.Syntax switch
    {
        ConfigSyntax.Json => JsonParser.ParseDocument(text, context.SourceDescription, syntax.Reason, includePrefix),
        ConfigSyntax.Properties => PropertiesParser.Parse(text, context.SourceDescription),
        _ => Parser.ParseDocument(text, context, includePrefix),
    };

    private static string Describe(ConfigSyntax syntax) => syntax switch
    {
        ConfigSyntax.Json => "JSON",
        ConfigSyntax.Properties => "Java properties",
        _ => "HOCON",
    };

    private static string Extension(ConfigSyntax syntax) => syntax switch
    {
        ConfigSyntax.Json => ".json",
        ConfigSyntax.Properties => ".properties",
        _ => ".conf",
    };
}
