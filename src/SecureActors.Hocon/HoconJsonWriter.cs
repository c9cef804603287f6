using System.Globalization;
using System.Text;

namespace SecureActors.Hocon;

/// <summary>Renders resolved values as JSON: numbers as written (when that is valid JSON), keys in written order.</summary>
internal static partial class HoconJsonWriter
{
    public static void Write(StringBuilder output, HoconValue value, bool indented, int depth)
    {
        switch (value)
        {
            case HoconObject obj:
                WriteContainer(output, obj.Select(pair => (Quote(pair.Key) + ":" + (indented ? " " : ""), pair.Value)), '{', '}', indented, depth);
                break;
            case HoconArray array:
                WriteContainer(output, array.Select(item => ("", item)), '[', ']', indented, depth);
                break;
            case HoconString text:
                output.Append(Quote(text.Value));
                break;
            case HoconNumber number:
                output.Append(IsStrictJsonNumber(number.Text) ? number.Text : number.Value.ToString("R", CultureInfo.InvariantCulture));
                break;
            case HoconBoolean boolean:
                output.Append(boolean.Value ? "true" : "false");
                break;
            default:
                output.Append("null");
                break;
        }
    }

    private static void WriteContainer(StringBuilder output, IEnumerable<(string Prefix, HoconValue Value)> items, char open, char close, bool indented, int depth)
    {
        output.Append(open);
        var first = true;
        foreach (var (prefix, item) in items)
        {
            output.Append(first ? "" : ",");
            first = false;
            if (indented)
            {
                output.Append('\n').Append(' ', (depth + 1) * 2);
            }

            output.Append(prefix);
            Write(output, item, indented, depth + 1);
        }

        if (indented && !first)
        {
            output.Append('\n').Append(' ', depth * 2);
        }

        output.Append(close);
    }

    /// <summary>
    /// JSON forbids forms HOCON reads as numbers: leading zeros (<c>01</c>), a bare point (<c>1.</c>, <c>-.5</c>).
    /// Such numbers are re-rendered from their value.
    /// </summary>
    private static bool IsStrictJsonNumber(string text) => StrictJsonNumber().IsMatch(text);

    [System.Text.RegularExpressions.GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex StrictJsonNumber();

    public static string Quote(string text)
    {
        var output = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                default:
                    if (c < ' ')
                    {
                        output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        output.Append(c);
                    }

                    break;
            }
        }

        return output.Append('"').ToString();
    }
}
