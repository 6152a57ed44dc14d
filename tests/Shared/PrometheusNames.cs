using System.Diagnostics.Metrics;
using System.Text;

namespace StreamingFeatures.TestShared;

/// <summary>
/// The series names OpenTelemetry's Prometheus exporter gives an instrument, by the specification's rules: characters
/// other than letters, digits and <c>:</c> become one <c>_</c>; the unit, without <c>{...}</c> annotations and with
/// abbreviations spelled out (<c>s</c> seconds, <c>By</c> bytes, <c>x/s</c> x_per_second), is appended unless the name
/// already ends with it; counters get <c>_total</c>, histograms <c>_bucket</c>, <c>_sum</c> and <c>_count</c>.
/// </summary>
internal static class PrometheusNames
{
    /// <summary>Every series name the instruments are exported under, each with the instrument it comes from.</summary>
    public static Dictionary<string, Instrument> Series(IEnumerable<Instrument> instruments)
    {
        var series = new Dictionary<string, Instrument>(StringComparer.Ordinal);
        foreach (Instrument instrument in instruments)
        {
            string family = Family(instrument);
            if (ServiceInstruments.IsHistogram(instrument))
            {
                series[family + "_bucket"] = instrument;
                series[family + "_sum"] = instrument;
                series[family + "_count"] = instrument;
            }
            else
            {
                series[ServiceInstruments.IsCounter(instrument) ? family + "_total" : family] = instrument;
            }
        }

        return series;
    }

    /// <summary>The metric family name (before <c>_total</c> or the histogram suffixes).</summary>
    public static string Family(Instrument instrument)
    {
        string name = Sanitize(instrument.Name);
        string unit = Unit(instrument.Unit ?? string.Empty);
        return unit.Length == 0 || name.EndsWith(unit, StringComparison.Ordinal) ? name : name + "_" + unit;
    }

    private static string Sanitize(string name)
    {
        var sanitized = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            bool keep = char.IsAsciiLetterOrDigit(c) || c == ':';
            if (keep || sanitized.Length == 0 || sanitized[^1] != '_')
            {
                sanitized.Append(keep ? c : '_');
            }
        }

        return sanitized.ToString();
    }

    private static string Unit(string unit)
    {
        string bare = System.Text.RegularExpressions.Regex.Replace(unit, @"\{[^}]*\}", string.Empty);
        int slash = bare.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 && slash < bare.Length - 1
            ? Spelled(bare[..slash]) + "_per_" + (bare[(slash + 1)..] switch { "s" => "second", "m" => "minute", "h" => "hour", "d" => "day", var other => other })
            : Spelled(bare);
    }

    private static string Spelled(string unit) => unit switch
    {
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "min" => "minutes",
        "h" => "hours",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "1" => string.Empty,
        "%" => "percent",
        _ => unit,
    };
}
