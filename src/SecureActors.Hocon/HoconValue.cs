using System.Globalization;

namespace SecureActors.Hocon;

/// <summary>The JSON type of a resolved configuration value.</summary>
public enum HoconType
{
    /// <summary>An object: ordered keys mapped to values.</summary>
    Object,
    /// <summary>An array of values.</summary>
    Array,
    /// <summary>A quoted, unquoted or concatenated string.</summary>
    String,
    /// <summary>A number, kept as it was written.</summary>
    Number,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
    /// <summary>The explicit <c>null</c>.</summary>
    Null,
}

/// <summary>A resolved, immutable configuration value: substitutions are already replaced and merges applied.</summary>
public abstract class HoconValue
{
    private protected HoconValue(ConfigOrigin origin) => Origin = origin;

    /// <summary>Where this value was written.</summary>
    public ConfigOrigin Origin { get; }

    /// <summary>The JSON type of this value.</summary>
    public abstract HoconType Type { get; }

    /// <summary>The text this value contributes to a string concatenation; objects and arrays have none.</summary>
    internal virtual string? ConcatenationText => null;

    /// <summary>
    /// How large this value is once written out: one per value plus the characters of its strings, summed over
    /// everything inside it (a value that substitutions repeat counts once per place). Saturates at long.MaxValue.
    /// </summary>
    internal virtual long ExpandedSize => 1;

    private protected static long SaturatingAdd(long left, long right) => left > long.MaxValue - right ? long.MaxValue : left + right;

    /// <summary>Renders this value as JSON (numbers as written, strings escaped).</summary>
    public string ToJson(bool indented = true)
    {
        var builder = new System.Text.StringBuilder();
        HoconJsonWriter.Write(builder, this, indented, 0);
        return builder.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => ToJson(indented: false);
}

/// <summary>A string value.</summary>
public sealed class HoconString(string value, ConfigOrigin origin) : HoconValue(origin)
{
    /// <summary>The string's characters, escapes already decoded.</summary>
    public string Value { get; } = value;

    /// <inheritdoc />
    public override HoconType Type => HoconType.String;

    internal override string ConcatenationText => Value;

    internal override long ExpandedSize => 1L + Value.Length;
}

/// <summary>A number, remembering the text it was written as (HOCON concatenation keeps <c>1.0</c> as <c>1.0</c>).</summary>
public sealed class HoconNumber : HoconValue
{
    internal HoconNumber(string text, double value, long? integer, ConfigOrigin origin) : base(origin)
    {
        Text = text;
        Value = value;
        Integer = integer;
    }

    /// <summary>The number exactly as written in the source.</summary>
    public string Text { get; }

    /// <summary>The number as a double.</summary>
    public double Value { get; }

    /// <summary>The number as a 64-bit integer, when it is one.</summary>
    public long? Integer { get; }

    /// <inheritdoc />
    public override HoconType Type => HoconType.Number;

    internal override string ConcatenationText => Text;

    /// <summary>
    /// Parses the number syntax Lightbend's tokenizer accepts: JSON's (<c>-?digits(.digits)?([eE][+-]?digits)?</c>,
    /// leading zeros tolerated) plus the forms Java's Double.parseDouble takes that JSON does not, a fraction without
    /// integer digits or with no digits after the point (<c>-.5</c>, <c>1.</c>, <c>1.e5</c>). Lightbend reads those
    /// as numbers, so they stay numbers here instead of becoming strings.
    /// </summary>
    internal static bool TryParse(string text, ConfigOrigin origin, out HoconNumber? number)
    {
        number = null;
        if (!IsNumberLiteral(text))
        {
            return false;
        }

        var isInteger = text.AsSpan().IndexOfAny(".eE") < 0;
        if (isInteger && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            number = new HoconNumber(text, integer, integer, origin);
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) || !double.IsFinite(real))
        {
            return false;
        }

        number = new HoconNumber(text, real, null, origin);
        return true;
    }

    private static bool IsNumberLiteral(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        var hasIntegerDigits = SkipDigits(text, ref i);
        var hasFractionDigits = false;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            hasFractionDigits = SkipDigits(text, ref i);
        }

        if (!hasIntegerDigits && !hasFractionDigits)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (!SkipDigits(text, ref i))
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static bool SkipDigits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i > start;
    }
}

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed class HoconBoolean(bool value, ConfigOrigin origin) : HoconValue(origin)
{
    /// <summary>The boolean.</summary>
    public bool Value { get; } = value;

    /// <inheritdoc />
    public override HoconType Type => HoconType.Boolean;

    internal override string ConcatenationText => Value ? "true" : "false";
}

/// <summary>The explicit <c>null</c>; it hides earlier values and blocks the environment-variable fallback.</summary>
public sealed class HoconNull(ConfigOrigin origin) : HoconValue(origin)
{
    /// <inheritdoc />
    public override HoconType Type => HoconType.Null;

    internal override string ConcatenationText => "null";
}
