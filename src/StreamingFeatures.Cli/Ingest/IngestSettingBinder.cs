using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// The engine's <see cref="SettingBinder"/> over an <see cref="IngestConfiguration"/>: each setting's text is read as a
/// plain value against the setting's limit, and every problem is collected instead of stopping at the first, naming
/// where the value came from: <c>AckDeadline (--ack-deadline) is '5s' (environment STREAMINGFEATURES_ACKDEADLINE); allowed 10s to 10m.</c>
/// </summary>
internal sealed class IngestSettingBinder(IngestConfiguration configuration) : SettingBinder
{
    public IReadOnlyList<string> Problems => [.. Errors.Select(error => error.Message)];

    protected override string WholeName => "the ingest settings";

    public string? Text(IngestSetting setting) => configuration[setting]?.Trim();

    public bool Switch(IngestSetting setting) => Node(setting) is { } node && (ReadBool(setting.Key, node) ?? false);

    /// <summary>A whole number within the setting's range, else its default.</summary>
    public long Integer(IngestSetting setting)
    {
        Limit<long> limit = setting.WholeNumbers ?? throw new ArgumentException($"{setting.Key} is no whole-number setting.", nameof(setting));
        return Node(setting) is { } node ? ReadWhole(setting.Key, node, limit) ?? limit.Default : limit.Default;
    }

    /// <summary>A number within the setting's range, else its default.</summary>
    public double Number(IngestSetting setting)
    {
        Limit<double> limit = setting.Numbers ?? throw new ArgumentException($"{setting.Key} is no number setting.", nameof(setting));
        return Node(setting) is { } node ? ReadNumber(setting.Key, node, limit) ?? limit.Default : limit.Default;
    }

    /// <summary>A duration within the setting's range (from <paramref name="min"/> when given), else its default.</summary>
    public TimeSpan Duration(IngestSetting setting, TimeSpan? min = null)
    {
        Limit<TimeSpan> limit = Durations(setting);
        return Node(setting) is { } node ? ReadDuration(setting.Key, node, min ?? limit.Min, limit.Max) ?? limit.Default : limit.Default;
    }

    /// <summary>A duration within the setting's range, or null when it is not set (the setting has no default).</summary>
    public TimeSpan? OptionalDuration(IngestSetting setting)
    {
        Limit<TimeSpan> limit = Durations(setting);
        return Node(setting) is { } node ? ReadDuration(setting.Key, node, limit.Min, limit.Max) : null;
    }

    /// <summary>Records a problem with the setting's value, where it came from, and what is <paramref name="allowed"/>.</summary>
    public void Fail(IngestSetting setting, string allowed) => Fail(setting.Key, Text(setting) ?? string.Empty, default, allowed);

    /// <summary>Records a problem that is not about one value's form.</summary>
    public void Add(IngestSetting? setting, string problem) => Report(setting?.Key ?? string.Empty, problem);

    protected override string Problem(string path, string value, string allowed)
    {
        IngestSetting setting = IngestSetting.All.Single(s => s.Key == path);
        return $"{setting.Key} ({setting.Flag}) is '{Text(setting)}' ({configuration.Origin(setting)}); allowed {allowed}.";
    }

    /// <summary>The setting's text as a plain value, typed by the read, as an unquoted YAML scalar is; null when unset.</summary>
    private SettingScalar? Node(IngestSetting setting) =>
        Text(setting) is { } text ? new SettingScalar(default, ScalarKind.Plain, text) : null;

    private static Limit<TimeSpan> Durations(IngestSetting setting) =>
        setting.Durations ?? throw new ArgumentException($"{setting.Key} is no duration setting.", nameof(setting));
}
