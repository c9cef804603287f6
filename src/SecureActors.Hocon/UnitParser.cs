using System.Globalization;
using System.Numerics;

namespace SecureActors.Hocon;

/*
 * HOCON.md "Units format": optional whitespace, a number, optional whitespace, an optional unit made only of
 * letters, optional whitespace. A bare number uses the family's default unit (milliseconds, bytes).
 * Duration units are lower-case only; size units follow the spec's exact lists, where one-letter units and the
 * "i" forms are powers of two and "kB", "MB"… are powers of ten. "KB" is refused, as in Lightbend: the spec lists
 * "exactly these strings", and KB is ambiguous between the two families.
 */
internal static class UnitParser
{
    private static readonly Dictionary<string, double> TicksPerDurationUnit = BuildDurationUnits();
    private static readonly Dictionary<string, BigInteger> BytesPerSizeUnit = BuildSizeUnits();

    public static bool TrySplit(string text, out string number, out string unit)
    {
        var span = text.AsSpan().Trim();
        var end = span.Length;
        while (end > 0 && char.IsLetter(span[end - 1]))
        {
            end--;
        }

        number = span[..end].Trim().ToString();
        unit = span[end..].ToString();
        return number.Length > 0;
    }

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (!TrySplit(text, out var number, out var unit)
            || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            || !TicksPerDurationUnit.TryGetValue(unit.Length == 0 ? "ms" : unit, out var ticksPerUnit))
        {
            return false;
        }

        var ticks = Math.Round(amount * ticksPerUnit);
        if (double.IsNaN(ticks) || ticks > TimeSpan.MaxValue.Ticks || ticks < TimeSpan.MinValue.Ticks)
        {
            return false;
        }

        // Decimal keeps every digit of large counts such as 4878955355435272204ns, which a double would round.
        if (decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact))
        {
            var exactTicks = decimal.Round(exact * (decimal)ticksPerUnit, MidpointRounding.AwayFromZero);
            if (exactTicks > long.MaxValue || exactTicks < long.MinValue)
            {
                return false;
            }

            duration = TimeSpan.FromTicks((long)exactTicks);
            return true;
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    public static bool TryParseByteSize(string text, out BigInteger bytes)
    {
        bytes = default;
        if (!TrySplit(text, out var number, out var unit) || !BytesPerSizeUnit.TryGetValue(unit, out var multiplier))
        {
            return false;
        }

        if (BigInteger.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            bytes = whole * multiplier;
            return true;
        }

        if (!decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction))
        {
            return false;
        }

        // Fractions of a unit ("1.5K") are exact in decimal; the result is truncated to whole bytes.
        var scale = 1m;
        var digits = 0;
        while (fraction != decimal.Truncate(fraction) && digits < 20)
        {
            fraction *= 10;
            scale *= 10;
            digits++;
        }

        bytes = new BigInteger(decimal.Truncate(fraction)) * multiplier / new BigInteger(scale);
        return true;
    }

    public static string DurationUnitsDescription => "ns, us, ms, s, m, h, d (or nanos, micros, millis, seconds, minutes, hours, days)";

    public static string SizeUnitsDescription => "B, K/KiB, M/MiB, G/GiB, T/TiB … (powers of 2) or kB, MB, GB, TB … (powers of 10)";

    private static Dictionary<string, double> BuildDurationUnits()
    {
        var units = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(double ticks, params string[] names)
        {
            foreach (var name in names)
            {
                units[name] = ticks;
            }
        }

        Add(0.01, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(10, "us", "micro", "micros", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        return units;
    }

    private static Dictionary<string, BigInteger> BuildSizeUnits()
    {
        var units = new Dictionary<string, BigInteger>(StringComparer.Ordinal)
        {
            [""] = 1, ["B"] = 1, ["b"] = 1, ["byte"] = 1, ["bytes"] = 1,
        };
        string[] decimalNames = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryNames = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        const string letters = "KMGTPEZY";
        for (var power = 1; power <= 8; power++)
        {
            var letter = letters[power - 1];
            var lower = char.ToLowerInvariant(letter);
            var powerOfTen = BigInteger.Pow(1000, power);
            var powerOfTwo = BigInteger.Pow(1024, power);
            foreach (var name in new[] { (power == 1 ? "k" : letter.ToString()) + "B", decimalNames[power - 1] + "byte", decimalNames[power - 1] + "bytes" })
            {
                units[name] = powerOfTen;
            }

            foreach (var name in new[] { letter.ToString(), lower.ToString(), letter + "i", letter + "iB", binaryNames[power - 1] + "byte", binaryNames[power - 1] + "bytes" })
            {
                units[name] = powerOfTwo;
            }
        }

        return units;
    }
}
