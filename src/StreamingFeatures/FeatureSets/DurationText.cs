using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamingFeatures.FeatureSets;

/// <summary>Durations as feature-set files write them: <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>45s</c>, <c>500ms</c> or <c>7.00:00:00</c>.</summary>
internal static partial class DurationText
{
    public const string Allowed = "a duration such as 30d, 12h, 90m, 45s, 500ms or 7.00:00:00";

    private static readonly (long Ticks, string Suffix)[] Units =
    [
        (TimeSpan.TicksPerDay, "d"),
        (TimeSpan.TicksPerHour, "h"),
        (TimeSpan.TicksPerMinute, "m"),
        (TimeSpan.TicksPerSecond, "s"),
        (TimeSpan.TicksPerMillisecond, "ms"),
    ];

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        Match match = UnitPattern().Match(text);
        if (match.Success)
        {
            long unit = Array.Find(Units, u => u.Suffix == match.Groups[2].Value).Ticks;
            if (!long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long count)
                || count > TimeSpan.MaxValue.Ticks / unit)
            {
                return false;
            }

            value = new TimeSpan(count * unit);
            return true;
        }

        // Without a colon TimeSpan reads "30" as 30 days, a trap when the user meant seconds.
        return text.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The shortest exact form: <c>30d</c>, <c>36h</c>, <c>500ms</c>; sub-millisecond values as <c>c</c> format.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0ms";
        }

        foreach ((long ticks, string suffix) in Units)
        {
            if (value.Ticks % ticks == 0)
            {
                return (value.Ticks / ticks).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return value.ToString("c", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^([0-9]{1,20})(ms|s|m|h|d)\z", RegexOptions.CultureInvariant)]
    private static partial Regex UnitPattern();
}
