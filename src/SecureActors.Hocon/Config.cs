using System.Globalization;
using SecureActors.Hocon.Parsing;
using SecureActors.Hocon.Resolution;

namespace SecureActors.Hocon;

/// <summary>
/// An immutable configuration tree with typed getters. Paths are HOCON path expressions (<c>a.b."c.d"</c>).
/// Every getter that cannot answer throws a <see cref="ConfigException"/> naming the path, the type it expected and
/// the file:line the value came from.
/// </summary>
public sealed class Config
{
    private readonly HoconObject? _resolved;
    private readonly ObjectNode? _unresolved;

    internal Config(HoconObject resolved) => _resolved = resolved;

    internal Config(ObjectNode unresolved) => _unresolved = unresolved;

    /// <summary>A configuration with no settings.</summary>
    public static Config Empty { get; } = new(HoconObject.Empty);

    /// <summary>False while the tree still holds substitutions; call <see cref="Resolve"/> before reading it.</summary>
    public bool IsResolved => _resolved is not null;

    /// <summary>The resolved root object.</summary>
    public HoconObject Root => _resolved ?? throw new ConfigException("this configuration has unresolved substitutions; call Resolve() after adding its fallbacks");

    /// <summary>True when the configuration has no settings at all.</summary>
    public bool IsEmpty => Root.Count == 0;

    /// <summary>
    /// Resolves substitutions (looking up environment variables for paths the tree does not define).
    /// <paramref name="environment"/> replaces the process environment, e.g. in tests.
    /// </summary>
    public Config Resolve(Func<string, string?>? environment = null) =>
        _resolved is not null ? this : new Config(Resolver.Resolve(_unresolved!, environment ?? Environment.GetEnvironmentVariable));

    /// <summary>
    /// Layers this configuration over <paramref name="fallback"/> with HOCON's duplicate-key rule: this side wins and
    /// objects merge. When either side is unresolved the result is unresolved, so substitutions here can refer to
    /// settings that only the fallback defines.
    /// </summary>
    public Config WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (_resolved is not null && fallback._resolved is not null)
        {
            return new Config(_resolved.WithFallback(fallback._resolved));
        }

        var merged = new ObjectNode(ConfigOrigin.Synthetic("merged configuration"));
        merged.AddAll(fallback.AsNode());
        merged.AddAll(AsNode());
        return new Config(merged);
    }

    internal ObjectNode AsNode() => _unresolved ?? ObjectNode.FromResolved(_resolved!);

    /// <summary>True when <paramref name="path"/> holds a value other than <c>null</c>.</summary>
    public bool HasPath(string path) => TryFind(HoconPath.Parse(path), out var value) && value is not HoconNull;

    /// <summary>The value at <paramref name="path"/>, of any type.</summary>
    public HoconValue GetValue(string path) => Find(HoconPath.Parse(path));

    /// <summary>The string at <paramref name="path"/>; numbers and booleans convert to their text.</summary>
    public string GetString(string path)
    {
        var parsed = HoconPath.Parse(path);
        var value = Find(parsed);
        return value is HoconString or HoconNumber or HoconBoolean ? value.ConcatenationText! : throw WrongType(parsed, "string", value);
    }

    /// <summary>The 32-bit integer at <paramref name="path"/>; a string holding a number converts.</summary>
    public int GetInt(string path)
    {
        var parsed = HoconPath.Parse(path);
        var value = Find(parsed);
        var integer = AsInteger(parsed, value, "int");
        return integer is >= int.MinValue and <= int.MaxValue ? (int)integer : throw WrongType(parsed, "int (32-bit, this value is out of range)", value);
    }

    /// <summary>The 64-bit integer at <paramref name="path"/>; a string holding a number converts.</summary>
    public long GetLong(string path)
    {
        var parsed = HoconPath.Parse(path);
        return AsInteger(parsed, Find(parsed), "long");
    }

    /// <summary>The number at <paramref name="path"/> as a double; a string holding a number converts.</summary>
    public double GetDouble(string path)
    {
        var parsed = HoconPath.Parse(path);
        var value = Find(parsed);
        return AsNumber(value) is { } number ? number.Value : throw WrongType(parsed, "number", value);
    }

    /// <summary>The boolean at <paramref name="path"/>; the strings true/false, yes/no and on/off convert.</summary>
    public bool GetBoolean(string path)
    {
        var parsed = HoconPath.Parse(path);
        var value = Find(parsed);
        return value switch
        {
            HoconBoolean boolean => boolean.Value,
            HoconString { Value: "true" or "yes" or "on" } => true,
            HoconString { Value: "false" or "no" or "off" } => false,
            _ => throw WrongType(parsed, "boolean (true/false, yes/no, on/off)", value),
        };
    }

    /// <summary>
    /// The duration at <paramref name="path"/>: a bare number is milliseconds, a string is a number and a unit
    /// (ns, us, ms, s, m, h, d and their long forms). With <paramref name="allowInfinite"/>, <c>infinite</c> gives
    /// <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public TimeSpan GetTimeSpan(string path, bool allowInfinite = false)
    {
        var parsed = HoconPath.Parse(path);
        var value = Find(parsed);
        if (value is HoconNumber number)
        {
            return TimeSpan.FromTicks((long)Math.Round(number.Value * TimeSpan.TicksPerMillisecond));
        }

        if (value is HoconString text)
        {
            if (allowInfinite && text.Value.Trim() is "infinite" or "inf")
            {
                return Timeout.InfiniteTimeSpan;
            }

            if (UnitParser.TryParseDuration(text.Value, out var duration))
            {
                return duration;
            }
        }

        var expected = "duration (a number and one of " + UnitParser.DurationUnitsDescription + (allowInfinite ? ", or infinite)" : ")");
        throw WrongType(parsed, expected, value);
    }

    /// <summary>
    /// The size in bytes at <paramref name="path"/>: a bare number is bytes, a string is a number and a unit
    /// (B; K, Ki, KiB … powers of two; kB, MB … powers of ten).
    /// </summary>
    public long GetByteSize(string path)
    {
        var parsed = HoconPath.Parse(path);
        var value = Find(parsed);
        System.Numerics.BigInteger bytes;
        if (value is HoconNumber)
        {
            // A bare number is bytes, read like GetLong (Lightbend's getBytes reads it with getLong).
            bytes = AsInteger(parsed, value, "size in bytes");
        }
        else if (value is not HoconString text || !UnitParser.TryParseByteSize(text.Value, out bytes))
        {
            throw WrongType(parsed, "size in bytes (a number and one of " + UnitParser.SizeUnitsDescription + ")", value);
        }

        return bytes >= long.MinValue && bytes <= long.MaxValue ? (long)bytes : throw WrongType(parsed, "size in bytes that fits in 64 bits", value);
    }

    /// <summary>The elements of the array at <paramref name="path"/>.</summary>
    public IReadOnlyList<HoconValue> GetList(string path)
    {
        var parsed = HoconPath.Parse(path);
        var value = Find(parsed);
        return value as HoconArray ?? Resolver.NumericallyIndexed(value) ?? throw WrongType(parsed, "list", value);
    }

    /// <summary>The array at <paramref name="path"/> as strings; numbers and booleans convert.</summary>
    public IReadOnlyList<string> GetStringList(string path)
    {
        var parsed = HoconPath.Parse(path);
        return GetList(path).Select(item => item is HoconString or HoconNumber or HoconBoolean ? item.ConcatenationText! : throw WrongType(parsed, "list of strings", item)).ToList();
    }

    /// <summary>The array at <paramref name="path"/> as 32-bit integers.</summary>
    public IReadOnlyList<int> GetIntList(string path)
    {
        var parsed = HoconPath.Parse(path);
        return GetList(path).Select(item =>
        {
            var integer = AsInteger(parsed, item, "list of int");
            return integer is >= int.MinValue and <= int.MaxValue ? (int)integer : throw WrongType(parsed, "list of int", item);
        }).ToList();
    }

    /// <summary>The array of objects at <paramref name="path"/>, each as a configuration.</summary>
    public IReadOnlyList<Config> GetConfigList(string path)
    {
        var parsed = HoconPath.Parse(path);
        return GetList(path).Select(item => item is HoconObject obj ? new Config(obj) : throw WrongType(parsed, "list of objects", item)).ToList();
    }

    /// <summary>The object at <paramref name="path"/> as a configuration of its own.</summary>
    public Config GetConfig(string path)
    {
        var parsed = HoconPath.Parse(path);
        var value = Find(parsed);
        return value is HoconObject obj ? new Config(obj) : throw WrongType(parsed, "object", value);
    }

    /// <summary>The keys of the root object, in the order they were first written.</summary>
    public IReadOnlyList<string> GetKeys() => [.. Root.Keys];

    /// <summary>The keys of the object at <paramref name="path"/>, in the order they were first written.</summary>
    public IReadOnlyList<string> GetKeys(string path) => [.. GetConfig(path).Root.Keys];

    /// <summary>The whole configuration as JSON.</summary>
    public string ToJson(bool indented = true) => Root.ToJson(indented);

    /// <inheritdoc />
    public override string ToString() => _resolved is null ? "Config(unresolved)" : ToJson(indented: false);

    private bool TryFind(HoconPath path, out HoconValue? value)
    {
        HoconValue current = Root;
        foreach (var segment in path.Segments)
        {
            if (current is not HoconObject obj || !obj.TryGetValue(segment, out var next))
            {
                value = null;
                return false;
            }

            current = next;
        }

        value = current;
        return true;
    }

    private HoconValue Find(HoconPath path)
    {
        HoconValue current = Root;
        for (var i = 0; i < path.Length; i++)
        {
            var obj = current as HoconObject ?? throw WrongType(path.Take(i), "object", current);
            if (!obj.TryGetValue(path.Segments[i], out var next))
            {
                throw new ConfigMissingException(path.ToString(), obj.Origin.Line > 0 ? obj.Origin : null);
            }

            current = next;
        }

        return current;
    }

    private static HoconNumber? AsNumber(HoconValue value) => value switch
    {
        HoconNumber number => number,
        HoconString text when HoconNumber.TryParse(text.Value.Trim(), text.Origin, out var parsed) => parsed,
        HoconString text => LenientNumber(text),
        _ => null,
    };

    /// <summary>
    /// Lightbend reads a string as a number with Java's parser, which also takes forms JSON does not, such as ".33"
    /// (its own test01.conf relies on that), the words NaN and Infinity, and overflowing exponents (1e999 is
    /// infinity). The same forms are accepted here; a non-finite value reads as a double but is out of range for the
    /// integer getters.
    /// </summary>
    private static HoconNumber? LenientNumber(HoconString text)
    {
        var trimmed = text.Value.Trim();
        var nonFinite = trimmed switch
        {
            "NaN" => double.NaN,
            "Infinity" or "+Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => (double?)null,
        };
        if (nonFinite is { } special)
        {
            return new HoconNumber(trimmed, special, null, text.Origin);
        }

        return trimmed.Any(char.IsAsciiDigit)
            && trimmed.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')
            && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
                ? new HoconNumber(trimmed, real, null, text.Origin)
                : null;
    }

    /// <summary>
    /// Reads a number as a 64-bit integer the way Lightbend's getLong does: a fraction is truncated toward zero
    /// (<c>1.5</c> gives 1), but a value outside the 64-bit range is an error rather than clamped. The range is judged
    /// on the number as written, since its double may round onto the boundary (<c>-9223372036854775808.1</c>).
    /// </summary>
    private static long AsInteger(HoconPath path, HoconValue value, string expected)
    {
        if (AsNumber(value) is not { } number)
        {
            throw WrongType(path, expected, value);
        }

        if (number.Integer is { } integer)
        {
            return integer;
        }

        var exactInRange = decimal.TryParse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
            && exact >= long.MinValue && exact <= long.MaxValue;
        if (!exactInRange || !double.IsFinite(number.Value))
        {
            throw WrongType(path, expected + " (this value is out of range for a 64-bit integer)", value);
        }

        return (long)Math.Truncate(number.Value);
    }

    private static ConfigWrongTypeException WrongType(HoconPath path, string expected, HoconValue value)
    {
        var actual = value switch
        {
            HoconNull => "null",
            HoconString text => $"string \"{Shorten(text.Value)}\"",
            HoconNumber number => $"number {number.Text}",
            HoconBoolean boolean => boolean.Value ? "boolean true" : "boolean false",
            _ => value.Type.ToString().ToLowerInvariant(),
        };
        return new ConfigWrongTypeException(path.ToString(), expected, actual, value.Origin);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
