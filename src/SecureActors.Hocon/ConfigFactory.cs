using System.Reflection;
using SecureActors.Hocon.Parsing;

namespace SecureActors.Hocon;

/// <summary>Options for parsing one document.</summary>
public sealed record ConfigParseOptions
{
    /// <summary>Names the source in error messages and origins, e.g. a file path.</summary>
    public string? OriginDescription { get; init; }

    /// <summary>Directory that relative includes of a string document are found in (default: the working directory).</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Resolve substitutions right away (default). Leave false to add fallbacks first, then call <see cref="Config.Resolve"/>.</summary>
    public bool Resolve { get; init; } = true;

    /// <summary>Replaces the process environment for <c>${VAR}</c> fallbacks, e.g. in tests.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>
    /// The language of the document. Left null (the default), a file or resource is read by its name's extension
    /// (<c>.json</c> as <see cref="ConfigSyntax.Json"/>, <c>.properties</c> as <see cref="ConfigSyntax.Properties"/>,
    /// anything else as <see cref="ConfigSyntax.Conf"/>) and a string as HOCON. Included documents always go by their
    /// own extension.
    /// </summary>
    public ConfigSyntax? Syntax { get; init; }

    /// <summary>A copy of these options with <see cref="Syntax"/> set; null goes back to choosing by extension.</summary>
    public ConfigParseOptions WithSyntax(ConfigSyntax? syntax) => this with { Syntax = syntax };
}

/// <summary>Parses HOCON text, files and embedded <c>reference.conf</c> resources, and layers them.</summary>
public static class ConfigFactory
{
    /// <summary>A configuration with no settings.</summary>
    public static Config Empty => Config.Empty;

    /// <summary>Parses HOCON text and resolves its substitutions.</summary>
    public static Config ParseString(string text, string? originDescription = null) =>
        ParseString(text, new ConfigParseOptions { OriginDescription = originDescription });

    /// <summary>Parses text with explicit options; it is HOCON unless <see cref="ConfigParseOptions.Syntax"/> says otherwise.</summary>
    public static Config ParseString(string text, ConfigParseOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        var context = IncludeContext.ForString(options.OriginDescription ?? "string", options.BaseDirectory);
        var syntax = DocumentSyntax.Choose(options.Syntax, name: null, "text");
        return Finish(DocumentSyntax.Parse(text, syntax, context, HoconPath.Root), options);
    }

    /// <summary>
    /// Parses a HOCON file (a <c>.json</c> file as strict JSON, a <c>.properties</c> file as Java properties) and
    /// resolves its substitutions; includes are found relative to it.
    /// </summary>
    public static Config ParseFile(string path) => ParseFile(path, new ConfigParseOptions());

    /// <summary>Parses a file with explicit options; <see cref="ConfigParseOptions.Syntax"/>, if set, overrides the extension.</summary>
    public static Config ParseFile(string path, ConfigParseOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read configuration file: {e.Message}", ConfigOrigin.Synthetic(path), e);
        }

        var syntax = DocumentSyntax.Choose(options.Syntax, path, "file");
        return Finish(DocumentSyntax.Parse(text, syntax, IncludeContext.ForFile(path), HoconPath.Root), options);
    }

    /// <summary>
    /// Parses an embedded resource (by manifest name) of <paramref name="assembly"/>; like a file, its syntax follows
    /// its name's extension unless <see cref="ConfigParseOptions.Syntax"/> is set.
    /// </summary>
    public static Config FromResource(Assembly assembly, string resourceName, ConfigParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new ConfigException($"embedded resource '{resourceName}' was not found in {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        options ??= new ConfigParseOptions();
        var syntax = DocumentSyntax.Choose(options.Syntax, resourceName, "resource");
        return Finish(DocumentSyntax.Parse(reader.ReadToEnd(), syntax, IncludeContext.ForResource(assembly, resourceName), HoconPath.Root), options);
    }

    /// <summary>
    /// The library defaults embedded in <paramref name="assembly"/> as <c>&lt;AssemblyName&gt;.reference.conf</c>,
    /// resolved on their own as HOCON's conventions require.
    /// </summary>
    public static Config LoadReference(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return FromResource(assembly, assembly.GetName().Name + ".reference.conf");
    }

    /// <summary>
    /// Parses command-line overrides, each <c>path=value</c> in HOCON syntax (<c>server.port=9000</c>,
    /// <c>limits { max = 10 }</c>); later ones win. The result is unresolved so it can refer to the files it overrides.
    /// </summary>
    public static Config ParseOverrides(IEnumerable<string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = Config.Empty;
        var index = 0;
        foreach (var entry in overrides)
        {
            index++;
            var context = IncludeContext.ForString($"command-line override #{index} '{entry}'", null);
            var parsed = new Config(Parser.ParseDocument(entry, context, HoconPath.Root));
            merged = parsed.WithFallback(merged);
        }

        return merged;
    }

    /// <summary>
    /// Builds an application's configuration: <paramref name="overrides"/> over <paramref name="userFile"/> (if any)
    /// over the <paramref name="defaults"/> (first wins), resolved once as a whole.
    /// </summary>
    public static Config Load(string? userFile, IEnumerable<Config> defaults, IEnumerable<string>? overrides = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var unresolved = new ConfigParseOptions { Resolve = false };
        var layered = ParseOverrides(overrides ?? []);
        if (userFile is not null)
        {
            layered = layered.WithFallback(ParseFile(userFile, unresolved));
        }

        foreach (var fallback in defaults)
        {
            layered = layered.WithFallback(fallback);
        }

        return layered.Resolve(environment);
    }

    private static Config Finish(ObjectNode root, ConfigParseOptions options)
    {
        var config = new Config(root);
        return options.Resolve ? config.Resolve(options.Environment) : config;
    }
}
