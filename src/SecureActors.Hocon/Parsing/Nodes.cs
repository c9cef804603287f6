namespace SecureActors.Hocon.Parsing;

/*
 * The unresolved document tree. Every object field holds a stack of layers, earliest first, because HOCON decides
 * merges only after substitutions are known: `a = {x:1}` then `a = ${b}` merges if b turns out to be an object and
 * replaces otherwise. Self-referential substitutions look "below" the layer that holds them in that same stack.
 */
internal abstract class Node(ConfigOrigin origin)
{
    public ConfigOrigin Origin { get; } = origin;
}

/// <summary>A literal or already-resolved value.</summary>
internal sealed class ValueNode(HoconValue value) : Node(value.Origin)
{
    public HoconValue Value { get; } = value;
}

/// <summary>Whitespace between two parts of a concatenation: kept between simple values, dropped next to objects and arrays.</summary>
internal sealed class WhitespaceNode(string text, ConfigOrigin origin) : Node(origin)
{
    public string Text { get; } = text;
}

internal sealed class ObjectNode(ConfigOrigin origin) : Node(origin)
{
    private readonly Dictionary<string, List<Node>> _fields = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public IReadOnlyList<string> Keys => _order;

    public IReadOnlyList<Node> Layers(string key) => _fields.TryGetValue(key, out var layers) ? layers : [];

    public void Add(string key, Node value)
    {
        if (!_fields.TryGetValue(key, out var layers))
        {
            layers = [];
            _fields[key] = layers;
            _order.Add(key);
        }

        layers.Add(value);
    }

    /// <summary>Stacks every field of <paramref name="other"/> on top of this object's fields, as an include or a fallback does.</summary>
    public void AddAll(ObjectNode other)
    {
        foreach (var key in other._order)
        {
            foreach (var layer in other._fields[key])
            {
                Add(key, layer);
            }
        }
    }

    public static ObjectNode FromResolved(HoconObject resolved)
    {
        var node = new ObjectNode(resolved.Origin);
        foreach (var (key, value) in resolved)
        {
            node.Add(key, new ValueNode(value));
        }

        return node;
    }
}

internal sealed class ArrayNode(IReadOnlyList<Node> elements, ConfigOrigin origin) : Node(origin)
{
    public IReadOnlyList<Node> Elements { get; } = elements;
}

/// <summary>
/// <c>${path}</c> or <c>${?path}</c>. <see cref="IncludePrefix"/> is the path of the include statement that brought
/// this substitution in: such substitutions are looked up relative to it first, then from the root (HOCON.md
/// "Include semantics: substitution").
/// </summary>
internal sealed class SubstitutionNode(HoconPath path, bool optional, HoconPath includePrefix, ConfigOrigin origin) : Node(origin)
{
    public HoconPath Path { get; } = path;

    public bool Optional { get; } = optional;

    public HoconPath IncludePrefix { get; } = includePrefix;

    public string Describe() => "${" + (Optional ? "?" : "") + Path + "}";
}

/// <summary>Two or more values written next to each other on one line; joined once their substitutions resolve.</summary>
internal sealed class ConcatenationNode(IReadOnlyList<Node> pieces, ConfigOrigin origin) : Node(origin)
{
    public IReadOnlyList<Node> Pieces { get; } = pieces;
}
