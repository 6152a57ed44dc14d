using System.Globalization;

namespace StreamingFeatures.LoadTesting.Service;

/// <summary>One scrape of a <c>/metrics</c> endpoint: every sample, and the sums a load test reads from them.</summary>
internal sealed class PrometheusScrape(IReadOnlyList<PrometheusSample> samples)
{
    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;

    public bool Has(string name)
    {
        foreach (PrometheusSample sample in Samples)
        {
            if (sample.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sum of every series of <paramref name="name"/> (0 when absent: a counter not yet incremented is not exposed).</summary>
    public double Sum(string name)
    {
        double sum = 0;
        foreach (PrometheusSample sample in Samples)
        {
            if (sample.Name == name)
            {
                sum += sample.Value;
            }
        }

        return sum;
    }

    /// <summary>The series of <paramref name="name"/> summed by the value of <paramref name="label"/> (e.g. queue depth by block).</summary>
    public Dictionary<string, double> SumBy(string name, string label)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (PrometheusSample sample in Samples)
        {
            if (sample.Name == name && sample.Labels.TryGetValue(label, out string? value))
            {
                sums[value] = sums.GetValueOrDefault(value) + sample.Value;
            }
        }

        return sums;
    }

    /// <summary>
    /// The histogram <paramref name="name"/> (without <c>_bucket</c>) with every series summed bucket by bucket, or
    /// null when the scrape has none. Series with other bucket bounds than the first one's are left out.
    /// </summary>
    /// <exception cref="FormatException">A bucket's <c>le</c> label is not a number.</exception>
    public BucketHistogram? Histogram(string name)
    {
        string bucketName = name + "_bucket";
        var cumulative = new SortedDictionary<double, double>();
        foreach (PrometheusSample sample in Samples)
        {
            if (sample.Name == bucketName && sample.Labels.TryGetValue("le", out string? le))
            {
                double bound = le is "+Inf" or "Inf" ? double.PositiveInfinity
                    : double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) ? parsed
                    : throw new FormatException($"Prometheus text: {bucketName} has le=\"{le}\", not a number.");
                cumulative[bound] = cumulative.GetValueOrDefault(bound) + sample.Value;
            }
        }

        if (cumulative.Count == 0)
        {
            return null;
        }

        return new BucketHistogram([.. cumulative.Keys], [.. cumulative.Values], Sum(name + "_sum"), Sum(name + "_count"));
    }
}
