using System.Globalization;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// Reads typed settings from an <see cref="IngestConfiguration"/>, collecting every problem instead of stopping at the
/// first: <c>AckDeadline (--ack-deadline) is '5s' (environment STREAMINGFEATURES_ACKDEADLINE); allowed 10s to 600s.</c>
/// </summary>
internal sealed class SettingReader(IngestConfiguration configuration)
{
    public List<string> Problems { get; } = [];

    public string? Text(IngestSetting setting) => configuration[setting]?.Trim();

    public bool Switch(IngestSetting setting)
    {
        string? text = Text(setting);
        if (text is null)
        {
            return false;
        }

        if (bool.TryParse(text, out bool value))
        {
            return value;
        }

        Fail(setting, text, "allowed true or false");
        return false;
    }

    /// <summary>A whole number within the setting's range, else its default.</summary>
    public long Integer(IngestSetting setting)
    {
        Limit<long> limit = setting.WholeNumbers ?? throw new ArgumentException($"{setting.Key} is no whole-number setting.", nameof(setting));
        (long fallback, long min, long max) = (limit.Default, limit.Min, limit.Max);
        string? text = Text(setting);
        if (text is null)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max)
        {
            return value;
        }

        Fail(setting, text, Invariant($"allowed a whole number from {min} to {max}"));
        return fallback;
    }

    /// <summary>A number within the setting's range, else its default.</summary>
    public double Number(IngestSetting setting)
    {
        Limit<double> limit = setting.Numbers ?? throw new ArgumentException($"{setting.Key} is no number setting.", nameof(setting));
        (double fallback, double min, double max) = (limit.Default, limit.Min, limit.Max);
        string? text = Text(setting);
        if (text is null)
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max)
        {
            return value;
        }

        Fail(setting, text, Invariant($"allowed a number from {min} to {max}"));
        return fallback;
    }

    /// <summary>A duration: <c>30s</c>, <c>500ms</c>, <c>5m</c>, <c>1h</c>, <c>00:00:30</c>, or a plain number of seconds.</summary>
    private TimeSpan? Duration(IngestSetting setting, TimeSpan? fallback, TimeSpan min, TimeSpan max)
    {
        string? text = Text(setting);
        if (text is null)
        {
            return fallback;
        }

        if (TryParseDuration(text, out TimeSpan value) && value >= min && value <= max)
        {
            return value;
        }

        Fail(setting, text, $"allowed {DurationText.Format(min)} to {DurationText.Format(max)} (such as 30s, 500ms, 5m, or seconds)");
        return fallback;
    }

    /// <summary>A duration within the setting's range (from <paramref name="min"/> when given), else its default.</summary>
    public TimeSpan Duration(IngestSetting setting, TimeSpan? min = null)
    {
        Limit<TimeSpan> limit = Durations(setting);
        return Duration(setting, (TimeSpan?)limit.Default, min ?? limit.Min, limit.Max)!.Value;
    }

    /// <summary>A duration within the setting's range, or null when it is not set (the setting has no default).</summary>
    public TimeSpan? OptionalDuration(IngestSetting setting)
    {
        Limit<TimeSpan> limit = Durations(setting);
        return Duration(setting, null, limit.Min, limit.Max);
    }

    private static Limit<TimeSpan> Durations(IngestSetting setting) =>
        setting.Durations ?? throw new ArgumentException($"{setting.Key} is no duration setting.", nameof(setting));

    /// <summary>Records a problem with the setting's value, where it came from, and <paramref name="allowed"/>.</summary>
    public void Fail(IngestSetting setting, string value, string allowed) =>
        Problems.Add($"{setting.Key} ({setting.Flag}) is '{value}' ({configuration.Origin(setting)}); {allowed}.");

    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds)
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return DurationText.TryParse(text, out value);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
