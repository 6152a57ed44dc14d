using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamingFeatures.FeatureSets;

/// <summary>
/// Checks a <see cref="FeatureSetOptions"/> against Bigtable's and the engine's limits and reports every problem at
/// once; each message names the setting as files write it, its value, and what is allowed.
/// </summary>
public static partial class FeatureSetValidator
{
    internal const int MaxTableIdLength = 50;
    internal const int MaxFamilyNameLength = 64;
    internal const int MaxFeatures = 1_000;
    internal const int MaxQualifierBytes = 16 * 1024;
    internal const int MaxVersionsLimit = 1_000_000;

    internal const string TableRule = "1 to 50 characters of [-_.a-zA-Z0-9], not starting with - or .";
    internal const string FamilyRule = "1 to 64 characters of [-_.a-zA-Z0-9], not starting with - or .";
    internal const string FeaturesRange = "1 to 1,000";
    internal const string MaxVersionsRange = "1 to 1,000,000";
    internal const string MaxAgeRange = "1ms to 3652500d (10,000 years), in whole milliseconds";
    internal const string MaxFutureSkewRange = "0ms to 3652500d (10,000 years)";
    internal const string DelimiterRule = "one printable ASCII character other than a letter, digit, space or backslash, such as # | : or /";

    internal static readonly string BucketsRange = string.Create(CultureInfo.InvariantCulture, $"1 to {RowKeyOptions.MaxBuckets:N0}");

    // Bigtable receives max_age as a protobuf Duration, which ends at 10,000 years.
    private static readonly TimeSpan MaxAgeLimit = TimeSpan.FromSeconds(315_576_000_000);

    /// <summary>Every problem in <paramref name="options"/>; empty when the feature set is usable.</summary>
    public static IReadOnlyList<string> Validate(FeatureSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Check(options).ConvertAll(error => error.Message);
    }

    /// <summary>Throws a <see cref="FeatureSetException"/> listing every problem in <paramref name="options"/>, if any.</summary>
    public static void ThrowIfInvalid(FeatureSetOptions options)
    {
        IReadOnlyList<string> errors = Validate(options);
        if (errors.Count > 0)
        {
            string subject = options.Table is { } table && IdPattern().IsMatch(table) ? $"Feature set '{table}'" : "Feature set";
            throw new FeatureSetException(subject, errors);
        }
    }

    internal static List<FeatureSetError> Check(FeatureSetOptions options)
    {
        var errors = new List<FeatureSetError>();
        CheckId(errors, "table", options.Table, MaxTableIdLength, TableRule);
        CheckEntityKey(errors, options.EntityKey);
        if (string.IsNullOrWhiteSpace(options.EventTime))
        {
            errors.Add(FeatureSetError.Invalid("eventTime", FeatureSetError.Show(options.EventTime), "a column name"));
        }

        CheckFeatures(errors, options.Features, options.Families);
        CheckFamilies(errors, options.Families);
        CheckRowKey(errors, options.RowKey);
        CheckEnum(errors, "nulls", options.Nulls);
        if (options.MaxFutureSkew < TimeSpan.Zero || options.MaxFutureSkew > MaxAgeLimit)
        {
            errors.Add(FeatureSetError.Invalid("maxFutureSkew", DurationText.Format(options.MaxFutureSkew), MaxFutureSkewRange));
        }

        return errors;
    }

    /// <summary>An enum's values as files write them: <c>int64, float64, …</c>.</summary>
    internal static string EnumNames<TEnum>()
        where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetNames<TEnum>().Select(JsonNamingPolicy.CamelCase.ConvertName));

    private static void CheckId(List<FeatureSetError> errors, string path, string? id, int maxLength, string rule)
    {
        if (id is null || id.Length > maxLength || !IdPattern().IsMatch(id))
        {
            errors.Add(FeatureSetError.Invalid(path, FeatureSetError.Show(id), rule));
        }
    }

    private static void CheckEntityKey(List<FeatureSetError> errors, List<string>? columns)
    {
        if (columns is null || columns.Count == 0)
        {
            errors.Add(FeatureSetError.Invalid("entityKey", columns is null ? "null" : "empty", "one or more column names"));
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Count; i++)
        {
            string path = FeatureSetPaths.Item("entityKey", i);
            if (string.IsNullOrWhiteSpace(columns[i]))
            {
                errors.Add(FeatureSetError.Invalid(path, FeatureSetError.Show(columns[i]), "a column name"));
            }
            else if (!seen.TryAdd(columns[i], i))
            {
                errors.Add(FeatureSetError.Invalid(
                    path, FeatureSetError.Show(columns[i]), $"a column not already in the key (entityKey[{seen[columns[i]]}])"));
            }
        }
    }

    private static void CheckFamilies(List<FeatureSetError> errors, Dictionary<string, ColumnFamilyOptions>? families)
    {
        if (families is null)
        {
            errors.Add(FeatureSetError.Invalid("families", "null", "column families by name"));
            return;
        }

        foreach ((string name, ColumnFamilyOptions? family) in families)
        {
            string path = FeatureSetPaths.Family(name);
            if (name.Length > MaxFamilyNameLength || !IdPattern().IsMatch(name))
            {
                errors.Add(new FeatureSetError(path, $"{path} is named {FeatureSetError.Show(name)}; allowed: {FamilyRule}"));
            }

            if (family is null)
            {
                errors.Add(FeatureSetError.Invalid(path, "null", "an object with maxVersions and/or maxAge ({} for no limits)"));
                continue;
            }

            if (family.MaxVersions is { } versions and (< 1 or > MaxVersionsLimit))
            {
                errors.Add(FeatureSetError.Invalid(path + ".maxVersions", FeatureSetError.Show(versions), MaxVersionsRange));
            }

            if (family.MaxAge is { } age
                && (age < TimeSpan.FromMilliseconds(1) || age > MaxAgeLimit || age.Ticks % TimeSpan.TicksPerMillisecond != 0))
            {
                errors.Add(FeatureSetError.Invalid(path + ".maxAge", DurationText.Format(age), MaxAgeRange));
            }
        }
    }

    private static void CheckRowKey(List<FeatureSetError> errors, RowKeyOptions? rowKey)
    {
        if (rowKey is null)
        {
            errors.Add(FeatureSetError.Invalid("rowKey", "null", "row key settings, or none for the defaults"));
            return;
        }

        if (rowKey.Buckets is < 1 or > RowKeyOptions.MaxBuckets)
        {
            errors.Add(FeatureSetError.Invalid("rowKey.buckets", FeatureSetError.Show(rowKey.Buckets), BucketsRange));
        }

        // Space is excluded although printable: an invisible delimiter makes keys unreadable in logs and tools.
        if (rowKey.Delimiter is not [> ' ' and <= '~' and not '\\' and var c] || char.IsAsciiLetterOrDigit(c))
        {
            errors.Add(FeatureSetError.Invalid("rowKey.delimiter", FeatureSetError.Show(rowKey.Delimiter), DelimiterRule));
        }
    }

    private static void CheckEnum<TEnum>(List<FeatureSetError> errors, string path, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            errors.Add(FeatureSetError.Invalid(path, Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), EnumNames<TEnum>()));
        }
    }

    // \z, not $: $ also matches before a final newline, which would let "table\n" through.
    [GeneratedRegex(@"^[_a-zA-Z0-9][-_.a-zA-Z0-9]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
