using System.Text;
using SecureActors.Hocon.Parsing;

namespace SecureActors.Hocon;

/// <summary>
/// A parsed path expression (HOCON.md "Path expressions"): <c>a.b."c.d"</c> has three elements, the last one
/// containing a dot. Unquoted and number text splits at dots; quoted text never does.
/// </summary>
internal sealed class HoconPath : IEquatable<HoconPath>
{
    private readonly string[] _segments;

    internal HoconPath(IEnumerable<string> segments) => _segments = [.. segments];

    public static HoconPath Root { get; } = new([]);

    public IReadOnlyList<string> Segments => _segments;

    public int Length => _segments.Length;

    public string First => _segments[0];

    public HoconPath Append(string segment) => new([.. _segments, segment]);

    public HoconPath Append(HoconPath other) => other.Length == 0 ? this : Length == 0 ? other : new([.. _segments, .. other._segments]);

    public HoconPath Take(int count) => new(_segments.Take(count));

    public HoconPath Skip(int count) => new(_segments.Skip(count));

    public bool StartsWith(HoconPath prefix) =>
        prefix.Length <= Length && prefix._segments.AsSpan().SequenceEqual(_segments.AsSpan(0, prefix.Length));

    /// <summary>Parses a path written the way keys and substitutions write it, e.g. <c>server.limits."max-conn"</c>.</summary>
    public static HoconPath Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var tokens = Tokenizer.Tokenize(expression, $"path expression \"{expression}\"");
        var origin = tokens[0].Origin;
        var pathTokens = tokens.Where(token => token.Kind != TokenKind.End).ToList();
        var bad = pathTokens.FirstOrDefault(token => !token.IsSimpleValue && token.Kind != TokenKind.Whitespace);
        if (bad is not null)
        {
            throw new HoconParseException($"{bad.Describe()} is not allowed in a path expression", bad.Origin);
        }

        return FromTokens(pathTokens, origin);
    }

    /// <summary>Builds a path from the tokens of a key or substitution; leading and trailing whitespace is dropped.</summary>
    internal static HoconPath FromTokens(IReadOnlyList<Token> tokens, ConfigOrigin origin)
    {
        var start = 0;
        var end = tokens.Count;
        while (start < end && tokens[start].Kind == TokenKind.Whitespace)
        {
            start++;
        }

        while (end > start && tokens[end - 1].Kind == TokenKind.Whitespace)
        {
            end--;
        }

        if (start == end)
        {
            throw new HoconParseException("expected a path expression, found nothing (an empty key must be quoted: \"\")", origin);
        }

        var segments = new List<string>();
        var current = new StringBuilder();
        var currentQuoted = false;
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            if (token.Kind is TokenKind.Quoted or TokenKind.Whitespace)
            {
                current.Append(token.Text);
                currentQuoted |= token.Kind == TokenKind.Quoted;
                continue;
            }

            foreach (var c in token.Text)
            {
                if (c != '.')
                {
                    current.Append(c);
                    continue;
                }

                if (current.Length == 0 && !currentQuoted)
                {
                    throw new HoconParseException("a path element is empty ('..', or a leading or trailing '.'); quote it as \"\" if you meant an empty key", token.Origin);
                }

                segments.Add(current.ToString());
                current.Clear();
                currentQuoted = false;
            }
        }

        if (current.Length == 0 && !currentQuoted)
        {
            throw new HoconParseException("a path expression may not end with '.'", tokens[end - 1].Origin);
        }

        segments.Add(current.ToString());
        return new HoconPath(segments);
    }

    /// <summary>Renders the path so that parsing it gives it back (segments quoted where needed).</summary>
    public override string ToString() => string.Join('.', _segments.Select(Render));

    private static string Render(string segment)
    {
        var plain = segment.Length > 0
            && !char.IsAsciiDigit(segment[0]) && segment[0] != '-'
            && segment is not ("true" or "false" or "null" or "include")
            && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        return plain ? segment : HoconJsonWriter.Quote(segment);
    }

    public bool Equals(HoconPath? other) => other is not null && _segments.AsSpan().SequenceEqual(other._segments);

    public override bool Equals(object? obj) => Equals(obj as HoconPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var segment in _segments)
        {
            hash.Add(segment, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
