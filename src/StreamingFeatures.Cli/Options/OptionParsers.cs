using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Cli.Options;

/// <summary>
/// Parsers for option values that say what a user must type: System.CommandLine's own errors name .NET types
/// (<c>System.Int64</c>, <c>System.Nullable`1[System.DateTimeOffset]</c>), and a double such as NaN or 1e300 passes
/// its parser only to overflow a TimeSpan later; durations take units (90s, 5m, 1h) as every command's do. Each error names the option, the value and what is allowed.
/// </summary>
internal static partial class OptionParsers
{
    /// <summary>Makes <paramref name="option"/> take a whole number, within [<paramref name="min"/>, <paramref name="max"/>] when given.</summary>
    public static Option<long> WholeNumber(this Option<long> option, long? min = null, long? max = null)
    {
        option.CustomParser = result => ParseWhole(result, min, max, long.MinValue, long.MaxValue);
        return option;
    }

    /// <inheritdoc cref="WholeNumber(Option{long}, long?, long?)"/>
    public static Option<int> WholeNumber(this Option<int> option, int? min = null, int? max = null)
    {
        option.CustomParser = result => (int)ParseWhole(result, min, max, int.MinValue, int.MaxValue);
        return option;
    }

    /// <summary>
    /// Makes <paramref name="option"/> take a duration from <paramref name="min"/> to <paramref name="max"/>, written
    /// as every duration of every command is: <c>90s</c>, <c>5m</c>, <c>1h</c>, <c>500ms</c>; a bare number is seconds.
    /// </summary>
    public static Option<TimeSpan> Duration(this Option<TimeSpan> option, TimeSpan min, TimeSpan max)
    {
        option.CustomParser = result => ParseDuration(result, min, max) ?? default;
        return option;
    }

    /// <inheritdoc cref="Duration(Option{TimeSpan}, TimeSpan, TimeSpan)"/>
    public static Option<TimeSpan?> Duration(this Option<TimeSpan?> option, TimeSpan min, TimeSpan max)
    {
        option.CustomParser = result => ParseDuration(result, min, max);
        return option;
    }

    /// <summary>A duration as flags take it: <c>90s</c>, <c>5m</c>, <c>1h</c>, <c>500ms</c>, or a bare number of seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        if (DurationText.TryParse(text, out value))
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && double.IsFinite(seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2)
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return false;
    }

    /// <summary>Makes <paramref name="option"/> take an RFC 3339 time with its offset, e.g. 2026-11-26T00:00:00Z.</summary>
    public static Option<DateTimeOffset?> Rfc3339Time(this Option<DateTimeOffset?> option)
    {
        option.CustomParser = result =>
        {
            string text = Text(result);
            if (TryParseRfc3339(text, out DateTimeOffset time))
            {
                return time;
            }

            result.AddError($"{Name(result)} is '{text}'; allowed: an RFC 3339 time with its offset, e.g. 2026-11-26T00:00:00Z or 2026-11-26T09:30:00+01:00.");
            return null;
        };
        return option;
    }

    /// <summary>Date, time and offset (Z or ±hh:mm), with optional fractions of a second; a space may stand for the T.</summary>
    public static bool TryParseRfc3339(string text, out DateTimeOffset time)
    {
        time = default;
        return Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    private static TimeSpan? ParseDuration(ArgumentResult result, TimeSpan min, TimeSpan max)
    {
        string text = Text(result);
        if (TryParseDuration(text, out TimeSpan value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{Name(result)} is '{text}'; allowed: a duration from {DurationText.Format(min)} to {DurationText.Format(max)}, such as 90s, 5m or 1h (a bare number is seconds).");
        return null;
    }

    private static long ParseWhole(ArgumentResult result, long? min, long? max, long typeMin, long typeMax)
    {
        string text = Text(result);
        long low = min ?? typeMin;
        long high = max ?? typeMax;
        bool whole = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value);
        if (whole && value >= low && value <= high)
        {
            return value;
        }

        // The range is named when one was given, or when the number is whole but too large for the option.
        string range = min is null && max is null && !whole ? string.Empty : Invariant($" from {low} to {high}");
        result.AddError($"{Name(result)} is '{text}'; allowed: a whole number{range}, without separators or exponent (e.g. 1000000).");
        return 0;
    }

    private static string Text(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;

    private static string Name(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
