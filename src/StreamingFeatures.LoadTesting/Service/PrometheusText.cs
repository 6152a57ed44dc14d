using System.Globalization;

namespace StreamingFeatures.LoadTesting.Service;

/// <summary>
/// A reader of the Prometheus text exposition format (version 0.0.4, what OpenTelemetry's Prometheus exporter
/// serves): one sample per line, <c>name{label="value",...} value [timestamp]</c>; <c># HELP</c>, <c># TYPE</c> and
/// other comments skipped. Enough for counters, gauges and histograms (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>);
/// no maintained .NET package parses the format, and this is all a load test needs of it.
/// </summary>
internal static class PrometheusText
{
    /// <exception cref="FormatException">A line is not a sample; the message names the line and what is wrong.</exception>
    public static PrometheusScrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        int number = 0;
        foreach (ReadOnlySpan<char> raw in text.AsSpan().EnumerateLines())
        {
            number++;
            ReadOnlySpan<char> line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            samples.Add(ParseSample(line, number));
        }

        return new PrometheusScrape(samples);
    }

    private static PrometheusSample ParseSample(ReadOnlySpan<char> line, int number)
    {
        int i = 0;
        while (i < line.Length && IsNameChar(line[i], i == 0))
        {
            i++;
        }

        if (i == 0)
        {
            throw Bad(number, line, "no metric name");
        }

        string name = line[..i].ToString();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i = ParseLabels(line, i + 1, labels, number);
        }

        ReadOnlySpan<char> rest = line[i..].TrimStart();
        int end = rest.IndexOfAny(' ', '\t');
        ReadOnlySpan<char> value = end < 0 ? rest : rest[..end];
        if (value.IsEmpty || !TryParseValue(value, out double parsed))
        {
            throw Bad(number, line, $"the value '{value}' is not a number");
        }

        return new PrometheusSample(name, labels, parsed);
    }

    /// <summary>Reads <c>a="x",b="y"}</c> from <paramref name="i"/>; returns the index after the closing brace.</summary>
    private static int ParseLabels(ReadOnlySpan<char> line, int i, Dictionary<string, string> labels, int number)
    {
        while (true)
        {
            while (i < line.Length && (line[i] == ' ' || line[i] == ','))
            {
                i++;
            }

            if (i < line.Length && line[i] == '}')
            {
                return i + 1;
            }

            int start = i;
            while (i < line.Length && IsNameChar(line[i], i == start))
            {
                i++;
            }

            if (i == start || i + 1 >= line.Length || line[i] != '=' || line[i + 1] != '"')
            {
                throw Bad(number, line, "a label is not name=\"value\"");
            }

            string label = line[start..i].ToString();
            i += 2;
            var value = new System.Text.StringBuilder();
            while (i < line.Length && line[i] != '"')
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }

                i++;
            }

            if (i >= line.Length)
            {
                throw Bad(number, line, $"the value of label {label} has no closing quote");
            }

            labels[label] = value.ToString();
            i++;
        }
    }

    private static bool TryParseValue(ReadOnlySpan<char> text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static bool IsNameChar(char c, bool first) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (!first && c is >= '0' and <= '9');

    private static FormatException Bad(int number, ReadOnlySpan<char> line, string problem) =>
        new($"Prometheus text, line {number}: {problem}: {(line.Length > 200 ? line[..200].ToString() + "..." : line.ToString())}");
}

/// <summary>One sample line: the metric name as exposed (e.g. <c>streamingfeatures_pubsub_acked_total</c>), its labels, its value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
