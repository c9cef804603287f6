using SecureActors.Hocon;

namespace SecureActors.Server;

/// <summary>
/// One section of the server's configuration, read with the bounds each setting needs. A value out of
/// bounds is refused at startup with the file and line it came from (or the <c>-c</c> override that set
/// it), its full path and the rule it breaks: a negative connection limit or a zero timeout would
/// otherwise start a server that refuses everyone or gives up at once, with nothing in the log to say why.
/// </summary>
internal sealed class SettingsSection(Config config, string path)
{
    /// <summary>The section's full path, such as <c>server.limits</c>.</summary>
    public string Path { get; } = path;

    public SettingsSection Section(string key) => new(config.GetConfig(key), $"{Path}.{key}");

    public string String(string key) => config.GetString(key);

    public bool Boolean(string key) => config.GetBoolean(key);

    public IReadOnlyList<string> StringList(string key) => config.GetStringList(key);

    public int Int(string key, int min, int max = int.MaxValue)
    {
        var value = config.GetInt(key);
        return value >= min && value <= max ? value : throw Invalid(key, Range(min, max, int.MaxValue));
    }

    public long Long(string key, long min, long max = long.MaxValue)
    {
        var value = config.GetLong(key);
        return value >= min && value <= max ? value : throw Invalid(key, Range(min, max, long.MaxValue));
    }

    public double Positive(string key)
    {
        var value = config.GetDouble(key);
        return value > 0 && double.IsFinite(value) ? value : throw Invalid(key, "must be a positive number");
    }

    public long ByteSize(string key, long min, long max = long.MaxValue)
    {
        var value = config.GetByteSize(key);
        return value >= min && value <= max ? value : throw Invalid(key, $"must be {Bytes(min)}{(max == long.MaxValue ? " or more" : $" to {Bytes(max)}")}");
    }

    /// <summary>A duration that must be positive, or zero as well when <paramref name="zeroAllowed"/>.</summary>
    public TimeSpan Duration(string key, bool zeroAllowed = false)
    {
        var value = config.GetTimeSpan(key);
        return value > TimeSpan.Zero || (zeroAllowed && value == TimeSpan.Zero)
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
