using System.Globalization;

namespace SecureActors.Benchmarks.TlsPeer;

/// <summary>
/// The few options the peer and the scenario runner take: <c>--name value</c> pairs and bare
/// <c>--flag</c>s. They are driven by the runner, not typed by hand, so an unknown option is an error
/// rather than something to guess about.
/// </summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    /// <summary>Splits <paramref name="args"/>; a token not followed by a value (or followed by another option) is a flag.</summary>
    public static Arguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            parsed._values[args[i][2..]] = hasValue ? args[++i] : null;
        }

        return parsed;
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _values.ContainsKey(name);
    }

    public string? String(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string Required(string name) => String(name) ?? throw new ArgumentException($"--{name} is required");

    public long Long(string name, long fallback) =>
        String(name) is { } text ? long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public int Int(string name, int fallback) => checked((int)Long(name, fallback));

    public double Double(string name, double fallback) =>
        String(name) is { } text ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Seconds, written as a number with an optional trailing <c>s</c> (<c>2.5s</c>).</summary>
    public TimeSpan Seconds(string name, TimeSpan fallback) =>
        String(name) is { } text
            ? TimeSpan.FromSeconds(double.Parse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture))
            : fallback;

    /// <summary>Throws naming the first option nobody asked for (a typo in the runner).</summary>
    public void RejectUnknown()
    {
        foreach (var name in _values.Keys)
        {
            if (!_read.Contains(name))
            {
                throw new ArgumentException($"unknown option --{name}");
            }
        }
    }
}
