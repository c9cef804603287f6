using System.Globalization;
using System.Text;

namespace SecureActors.Hocon.Parsing;

/*
 * Java properties files (HOCON.md "Java properties mapping"), for `include "x.properties"` and the extension-less
 * `include "x"` that loads x.properties, x.json and x.conf in that order.
 *  - Lines: `key=value`, `key:value` or `key value`; `#` or `!` as the first non-blank character starts a comment;
 *    a line ending in an odd number of backslashes continues on the next line, whose leading blanks are dropped.
 *  - Escapes in keys and values: \t \n \r \f \uXXXX; any other escaped character stands for itself.
 *  - A key splits at every '.' into a path; empty elements are kept (`a.` is `a` then ""). Values are always strings.
 *  - Properties have no order worth trusting, so where a key is both a value and an object (`a=1`, `a.b=2`) the
 *    object wins: it loses one value instead of many.
 */
internal static class PropertiesParser
{
    public static ObjectNode Parse(string text, string source)
    {
        var root = new Dictionary<string, object>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var logical = new StringBuilder(lines[i].TrimStart(' ', '\t', '\f'));
            if (logical.Length == 0 || logical[0] is '#' or '!')
            {
                continue;
            }

            while (EndsWithContinuation(logical) && i + 1 < lines.Length)
            {
                logical.Length--;
                logical.Append(lines[++i].TrimStart(' ', '\t', '\f'));
            }

            if (EndsWithContinuation(logical))
            {
                logical.Length--;
            }

            var (key, value) = Split(logical.ToString(), new ConfigOrigin(source, lineNumber, 1));
            Assign(root, key.Split('.'), new HoconString(value, new ConfigOrigin(source, lineNumber, 1)));
        }

        return ToNode(root, new ConfigOrigin(source, 1, 1));
    }

    private static bool EndsWithContinuation(StringBuilder line)
    {
        var backslashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static (string Key, string Value) Split(string line, ConfigOrigin origin)
    {
        var key = new StringBuilder();
        var i = 0;
        while (i < line.Length && line[i] is not ('=' or ':' or ' ' or '\t' or '\f'))
        {
            i = Unescape(line, i, key, origin);
        }

        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        if (i < line.Length && line[i] is '=' or ':')
        {
            i++;
            while (i < line.Length && line[i] is ' ' or '\t' or '\f')
            {
                i++;
            }
        }

        var value = new StringBuilder();
        while (i < line.Length)
        {
            i = Unescape(line, i, value, origin);
        }

        return (key.ToString(), value.ToString());
    }

    private static int Unescape(string line, int i, StringBuilder into, ConfigOrigin origin)
    {
        if (line[i] != '\\' || i + 1 >= line.Length)
        {
            into.Append(line[i]);
            return i + 1;
        }

        var escaped = line[i + 1];
        switch (escaped)
        {
            case 't': into.Append('\t'); return i + 2;
            case 'n': into.Append('\n'); return i + 2;
            case 'r': into.Append('\r'); return i + 2;
            case 'f': into.Append('\f'); return i + 2;
            case 'u':
                if (i + 6 > line.Length || !int.TryParse(line.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    throw new HoconParseException("'\\u' must be followed by exactly four hexadecimal digits", origin);
                }

                into.Append((char)code);
                return i + 6;
            default:
                into.Append(escaped);
                return i + 2;
        }
    }

    private static void Assign(Dictionary<string, object> root, string[] path, HoconString value)
    {
        var current = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (!current.TryGetValue(path[i], out var next) || next is not Dictionary<string, object> child)
            {
                child = new Dictionary<string, object>(StringComparer.Ordinal);
                current[path[i]] = child;
            }

            current = child;
        }

        if (!current.TryGetValue(path[^1], out var existing) || existing is not Dictionary<string, object>)
        {
            current[path[^1]] = value;
        }
    }

    private static ObjectNode ToNode(Dictionary<string, object> fields, ConfigOrigin origin)
    {
        var node = new ObjectNode(origin);
        foreach (var (key, value) in fields)
        {
            node.Add(key, value is Dictionary<string, object> child ? ToNode(child, origin) : new ValueNode((HoconString)value));
        }

        return node;
    }
}
