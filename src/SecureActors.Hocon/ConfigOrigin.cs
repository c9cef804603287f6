namespace SecureActors.Hocon;

/// <summary>Where a configuration value was written: a file (or other source) and a 1-based line and column.</summary>
public sealed record ConfigOrigin(string Description, int Line, int Column)
{
    /// <summary>The origin of values that were not read from any text (built in code, environment variables).</summary>
    public static ConfigOrigin Synthetic(string description) => new(description, 0, 0);

    /// <summary>Renders <c>file:line</c>, the form error messages use.</summary>
    public override string ToString() => Line > 0 ? $"{Description}:{Line}" : Description;

    /// <summary>Renders <c>file:line:column</c>, the form syntax errors use.</summary>
    public string ToStringWithColumn() => Line > 0 ? $"{Description}:{Line}:{Column}" : Description;
}
