using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using StreamingFeatures.TestShared;

namespace StreamingFeatures.Tests.Telemetry;

/// <summary>
/// OpenTelemetry's semantic conventions for an instrument, as far as a test can check them: a lowercase dotted name
/// without a unit in it; a UCUM unit (<c>s</c> for every duration, <c>By</c> for bytes, a <c>{thing}</c> annotation for
/// counts, optionally per second); explicit bucket boundaries on every histogram.
/// </summary>
internal static partial class MetricConventions
{
    private static readonly HashSet<string> UnitWords = new(StringComparer.Ordinal)
    {
        "s", "sec", "secs", "second", "seconds", "ms", "msec", "millis", "milliseconds", "us", "micros", "microseconds",
        "ns", "nanos", "nanoseconds", "min", "mins", "minutes", "hours", "by", "byte", "bytes", "kb", "kib", "mb", "mib",
        "gb", "gib", "total", "percent", "ratio",
    };

    private static readonly HashSet<string> TimeWords = new(StringComparer.Ordinal) { "duration", "latency", "freshness", "delay", "age", "time", "elapsed" };

    /// <summary>What is wrong with <paramref name="instrument"/>; empty when it follows the conventions.</summary>
    public static IReadOnlyList<string> Violations(Instrument instrument)
    {
        var violations = new List<string>();
        string name = instrument.Name;
        string[] words = name.Split('.', '_');
        if (!Name().IsMatch(name))
        {
            violations.Add($"{name}: not a lowercase dotted name");
        }

        foreach (string word in words.Where(UnitWords.Contains))
        {
            violations.Add($"{name}: '{word}' in the name (the unit belongs in the unit, exporters append it)");
        }

        string unit = instrument.Unit ?? string.Empty;
        if (!Unit().IsMatch(unit))
        {
            violations.Add($"{name}: unit '{unit}' is not one of s, By, 1, {{thing}}, optionally per second");
        }

        if (words.Any(TimeWords.Contains) && unit != "s")
        {
            violations.Add($"{name}: a duration in '{unit}', not s");
        }

        if (ServiceInstruments.IsHistogram(instrument))
        {
            IReadOnlyList<double>? bounds = ServiceInstruments.BucketBoundaries(instrument);
            if (bounds is null || bounds.Count == 0)
            {
                violations.Add($"{name}: a histogram without explicit bucket boundaries (InstrumentAdvice)");
            }
            else if (bounds.Zip(bounds.Skip(1)).Any(pair => pair.First >= pair.Second))
            {
                violations.Add($"{name}: bucket boundaries not strictly increasing");
            }
        }

        return violations;
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex Name();

    [GeneratedRegex(@"^(s|By|1|\{[a-z][a-z_]*\})(/s)?$")]
    private static partial Regex Unit();
}
