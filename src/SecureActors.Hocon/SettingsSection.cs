namespace SecureActors.Hocon;

/// <summary>
/// One section of an application's configuration (such as <c>server.limits</c>), read with the bounds each
/// setting needs. A value out of bounds is refused with a <see cref="ConfigException"/> that names the file
/// and line it came from, its full path and the rule it breaks: a negative connection limit or a zero
/// timeout would otherwise start a program that refuses everyone or gives up at once, with nothing to say why.
/// </summary>
/// <param name="config">The section itself, as <see cref="Config.GetConfig"/> returns it.</param>
/// <param name="path">The section's full path, used in messages.</param>
public sealed class SettingsSection(Config config, string path)
{
    /// <summary>The section's full path, such as <c>server.limits</c>.</summary>
    public string Path { get; } = path;

    /// <summary>The subsection at <paramref name="key"/>.</summary>
    public SettingsSection Section(string key) => new(config.GetConfig(key), $"{Path}.{key}");

    /// <summary>A string setting.</summary>
    public string String(string key) => config.GetString(key);

    /// <summary>A boolean setting.</summary>
    public bool Boolean(string key) => config.GetBoolean(key);

    /// <summary>A list of strings.</summary>
    public IReadOnlyList<string> StringList(string key) => config.GetStringList(key);

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public int Int(string key, int min, int max = int.MaxValue)
    {
        var value = config.GetInt(key);
        return value >= min && value <= max ? value : throw Invalid(key, Range(min, max, int.MaxValue));
    }

    /// <summary>A long integer from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public long Long(string key, long min, long max = long.MaxValue)
    {
        var value = config.GetLong(key);
        return value >= min && value <= max ? value : throw Invalid(key, Range(min, max, long.MaxValue));
    }

    /// <summary>A finite number greater than zero.</summary>
    public double Positive(string key)
    {
        var value = config.GetDouble(key);
        return value > 0 && double.IsFinite(value) ? value : throw Invalid(key, "must be a positive number");
    }

    /// <summary>A finite number, zero or greater.</summary>
    public double NonNegative(string key)
    {
        var value = config.GetDouble(key);
        return value >= 0 && double.IsFinite(value) ? value : throw Invalid(key, "must be zero or a positive number");
    }

    /// <summary>A size in bytes from <paramref name="min"/> to <paramref name="max"/>.</summary>
    /// <param name="key">The setting, relative to this section.</param>
    /// <param name="min">The smallest size accepted.</param>
    /// <param name="max">The largest size accepted.</param>
    /// <param name="why">Why the bounds are what they are, appended to the error in parentheses.</param>
    public long ByteSize(string key, long min, long max = long.MaxValue, string? why = null)
    {
        var value = config.GetByteSize(key);
        return value >= min && value <= max
            ? value
            : throw Invalid(key, $"must be {Bytes(min)}{(max == long.MaxValue ? " or more" : $" to {Bytes(max)}")}{(why is null ? "" : $" ({why})")}");
    }

    /// <summary>A duration that must be positive, or zero as well when <paramref name="zeroAllowed"/>.</summary>
    /// <param name="key">The setting, relative to this section.</param>
    /// <param name="zeroAllowed">Whether zero is a meaningful value (no delay, no retry).</param>
    /// <param name="allowInfinite">Whether <c>infinite</c> is accepted (as <see cref="Timeout.InfiniteTimeSpan"/>).</param>
    public TimeSpan Duration(string key, bool zeroAllowed = false, bool allowInfinite = false)
    {
        var value = config.GetTimeSpan(key, allowInfinite);
        return value > TimeSpan.Zero || (zeroAllowed && value == TimeSpan.Zero) || (allowInfinite && value == Timeout.InfiniteTimeSpan)
            ? value
            : throw Invalid(key, zeroAllowed ? "must not be negative" : "must be longer than zero");
    }

    /// <summary>An error about <paramref name="key"/>, located where its value was written.</summary>
    public ConfigException Invalid(string key, string problem)
    {
        var value = config.GetValue(key);
        return new ConfigException($"{value.Origin}: {Path}.{key} = {Render(value)} {problem}", value.Origin);
    }

    private static string Render(HoconValue value) => value is HoconString text ? text.Value : value.ToString();

    private static string Range(long min, long max, long unbounded) =>
        max == unbounded ? $"must be at least {min:N0}" : $"must be between {min:N0} and {max:N0}";

    private static string Bytes(long count) => count >= 1024 && count % 1024 == 0 ? $"{count / 1024:N0} KiB" : $"{count:N0} bytes";
}
