using System.Globalization;

namespace StreamingFeatures.FeatureSets;

/// <summary>Values with a <see cref="Limit{T}"/>: read and range-checked at once, the range named in the problem.</summary>
internal abstract partial class SettingBinder
{
    /// <summary>A whole number within <paramref name="limit"/>, or null (and a problem) when it is not one.</summary>
    protected long? ReadWhole(string path, SettingNode node, Limit<long> limit)
    {
        if (node is SettingScalar { Kind: ScalarKind.Number or ScalarKind.Plain } scalar
            && long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            && limit.Allows(value))
        {
            return value;
        }

        FailUnlessNull(path, node, string.Create(CultureInfo.InvariantCulture, $"a whole number from {limit.Min} to {limit.Max}"));
        return null;
    }

    /// <summary>A number within <paramref name="limit"/>, or null (and a problem) when it is not one.</summary>
    protected double? ReadNumber(string path, SettingNode node, Limit<double> limit)
    {
        if (node is SettingScalar { Kind: ScalarKind.Number or ScalarKind.Plain } scalar
            && double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && double.IsFinite(value)
            && limit.Allows(value))
        {
            return value;
        }

        FailUnlessNull(path, node, string.Create(CultureInfo.InvariantCulture, $"a number from {limit.Min} to {limit.Max}"));
        return null;
    }

    /// <summary>
    /// A duration from <paramref name="min"/> to <paramref name="max"/>: <c>30s</c>, <c>500ms</c>, <c>5m</c>,
    /// <c>00:00:30</c>, or a plain number of seconds; null (and a problem) when it is not one.
    /// </summary>
    protected TimeSpan? ReadDuration(string path, SettingNode node, TimeSpan min, TimeSpan max)
    {
        if (node is SettingScalar { Kind: ScalarKind.String or ScalarKind.Number or ScalarKind.Plain } scalar
            && TryParseSeconds(scalar.Text, out TimeSpan value)
            && value >= min
            && value <= max)
        {
            return value;
        }

        FailUnlessNull(path, node, $"{DurationText.Format(min)} to {DurationText.Format(max)} (such as 30s, 500ms, 5m, or seconds)");
        return null;
    }

    private static bool TryParseSeconds(string text, out TimeSpan value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds)
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return DurationText.TryParse(text, out value);
    }
}
