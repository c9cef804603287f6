using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace SecureActors.Hocon;

/// <summary>An immutable object of resolved values; keys keep the order in which they were first written.</summary>
public sealed class HoconObject : HoconValue, IReadOnlyDictionary<string, HoconValue>
{
    private readonly Dictionary<string, HoconValue> _fields;
    private readonly string[] _order;
    private readonly long _expandedSize;

    internal HoconObject(IReadOnlyList<KeyValuePair<string, HoconValue>> fields, ConfigOrigin origin, bool ignoresFallbacks = false) : base(origin)
    {
        IgnoresFallbacks = ignoresFallbacks;
        _fields = new Dictionary<string, HoconValue>(fields.Count, StringComparer.Ordinal);
        var order = new List<string>(fields.Count);
        foreach (var (key, value) in fields)
        {
            if (!_fields.ContainsKey(key))
            {
                order.Add(key);
            }

            _fields[key] = value;
        }

        _order = [.. order];
        _expandedSize = 1;
        foreach (var value in _fields.Values)
        {
            _expandedSize = SaturatingAdd(_expandedSize, value.ExpandedSize);
        }
    }

    internal override long ExpandedSize => _expandedSize;

    /// <summary>An object with no fields.</summary>
    public static HoconObject Empty { get; } = new([], ConfigOrigin.Synthetic("empty config"));

    /// <inheritdoc />
    public override HoconType Type => HoconType.Object;

    /// <inheritdoc />
    public int Count => _order.Length;

    /// <summary>The keys in the order they were first written.</summary>
    public IEnumerable<string> Keys => _order;

    /// <inheritdoc />
    public IEnumerable<HoconValue> Values => _order.Select(key => _fields[key]);

    /// <inheritdoc />
    public HoconValue this[string key] => _fields[key];

    /// <inheritdoc />
    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out HoconValue value) => _fields.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, HoconValue>> GetEnumerator() =>
        _order.Select(key => new KeyValuePair<string, HoconValue>(key, _fields[key])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Merges <paramref name="fallback"/> under this object with HOCON's duplicate-key rule: fields of this object win,
    /// and where both sides hold objects they merge recursively.
    /// </summary>
    public HoconObject WithFallback(HoconObject fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (IgnoresFallbacks)
        {
            return this;
        }

        if (fallback.Count == 0)
        {
            return fallback.IgnoresFallbacks ? IgnoringFallbacks() : this;
        }

        if (Count == 0)
        {
            return fallback;
        }

        var merged = new List<KeyValuePair<string, HoconValue>>(fallback.Count + Count);
        foreach (var (key, lower) in fallback)
        {
            merged.Add(new(key, _fields.TryGetValue(key, out var upper) ? Merge(upper, lower) : lower));
        }

        foreach (var key in _order)
        {
            if (!fallback.ContainsKey(key))
            {
                merged.Add(new(key, _fields[key]));
            }
        }

        return new HoconObject(merged, Origin, fallback.IgnoresFallbacks);
    }

    /// <summary>
    /// True once this object has been merged over a non-object: merging is pairwise, so that non-object hides every
    /// object further down (HOCON.md "Config object merging": `{a:{x:1}}`, then `{a:42}`, then `{a:{y:2}}` gives
    /// `{a:{x:1}}`). Later fallbacks are then ignored instead of merged in.
    /// </summary>
    internal bool IgnoresFallbacks { get; }

    private HoconObject IgnoringFallbacks() => IgnoresFallbacks ? this : new HoconObject([.. this], Origin, ignoresFallbacks: true);

    internal static HoconValue Merge(HoconValue upper, HoconValue lower) => upper switch
    {
        HoconObject upperObject when lower is HoconObject lowerObject => upperObject.WithFallback(lowerObject),
        HoconObject upperObject => upperObject.IgnoringFallbacks(),
        _ => upper,
    };
}
