using System.Globalization;
using System.Text.RegularExpressions;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.LoadTesting;

/// <summary>Every limit of a profile, checked at once; each error names the setting path, the value and the allowed range.</summary>
internal static partial class LoadProfileValidator
{
    public const double MaxRate = 10_000_000;
    public const long MaxRows = 1_000_000_000_000;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    public static List<FeatureSetError> Check(LoadProfile profile)
    {
        var errors = new List<FeatureSetError>();
        if (!NamePattern().IsMatch(profile.Name))
        {
            errors.Add(FeatureSetError.Invalid("name", FeatureSetError.Show(profile.Name), "1 to 64 letters, digits, '.', '_' or '-'"));
        }

        int before = errors.Count;
        LoadShapeChecks.Check(profile.Shape, errors);
        if (errors.Count == before)
        {
            // Only a valid shape has a length: the summary window runs from the warm-up to its end.
            TimeSpan length = profile.Shape.ToStages().Aggregate(TimeSpan.Zero, (sum, stage) => sum + stage.Duration);
            if (profile.Measure.Warmup >= length)
            {
                errors.Add(new FeatureSetError("measure.warmup", $"measure.warmup is {DurationText.Format(profile.Measure.Warmup)}; allowed: less than the shape's {DurationText.Format(length)}"));
            }
        }

        CheckKeys(profile.Keys, errors);
        Range(errors, "rows.features", profile.Rows.Features, 1, 1000);
        Range(errors, "rows.valueBytes", profile.Rows.ValueBytes, 0, 1 << 20);
        Range(errors, "rowKey.buckets", profile.RowKey.Buckets, 1, 65_536);
        LoadMeasure measure = profile.Measure;
        Range(errors, "measure.interval", measure.Interval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        Range(errors, "measure.keyRanges", measure.KeyRanges, 1, 1024);
        Range(errors, "measure.drain", measure.Drain, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Range(errors, "measure.warmup", measure.Warmup, TimeSpan.Zero, MaxDuration);
        Range(errors, "gate.maxThroughputDrop", profile.Gate.MaxThroughputDrop, 0, 1);
        Range(errors, "gate.maxP99Rise", profile.Gate.MaxP99Rise, 0, 100);
        CheckReads(profile, errors);
        return errors;
    }

    private static void CheckKeys(LoadKeys keys, List<FeatureSetError> errors)
    {
        Range(errors, "keys.keySpace", keys.KeySpace, 1, MaxRows);
        if (keys.ZipfExponent is <= 0 or > 10)
        {
            errors.Add(FeatureSetError.Invalid("keys.zipfExponent", Show(keys.ZipfExponent), "above 0, at most 10"));
        }

        Range(errors, "keys.hotKeyShare", keys.HotKeyShare, 0, 1);
        Range(errors, "keys.hotKeys", keys.HotKeys, 1, Math.Max(1, keys.KeySpace));
    }

    internal static void Range(List<FeatureSetError> errors, string path, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add(FeatureSetError.Invalid(path, FeatureSetError.Show(value), $"{min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}"));
        }
    }

    internal static void Range(List<FeatureSetError> errors, string path, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            errors.Add(FeatureSetError.Invalid(path, Show(value), $"{Show(min)} to {Show(max)}"));
        }
    }

    internal static void Range(List<FeatureSetError> errors, string path, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add(FeatureSetError.Invalid(path, DurationText.Format(value), $"{DurationText.Format(min)} to {DurationText.Format(max)}"));
        }
    }

    internal static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
