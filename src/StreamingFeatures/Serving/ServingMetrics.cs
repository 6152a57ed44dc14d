using System.Diagnostics.Metrics;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Serving;

/// <summary>
/// The feature reader's instruments on a Meter named <see cref="TelemetryNames.Meter"/>, by the conventions of
/// <see cref="PipelineMetrics"/>: read latency in seconds, keys asked for, features answered by status.
/// </summary>
public sealed class ServingMetrics : IDisposable
{
    private readonly Meter _meter;

    public ServingMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(TelemetryNames.Meter) ?? new Meter(TelemetryNames.Meter);
        ReadDuration = _meter.CreateHistogram("streamingfeatures.serving.read.duration", "s", "Time to answer one feature read, retries included, by outcome.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.Duration });
        Keys = _meter.CreateCounter<long>("streamingfeatures.serving.keys", "{key}", "Entity keys asked for (duplicates included).");
        BatchKeys = _meter.CreateHistogram("streamingfeatures.serving.batch.keys", "{key}", "Entity keys per read.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = MetricBuckets.Rows });
        Features = _meter.CreateCounter<long>("streamingfeatures.serving.features", "{feature}", "Features answered, by status (present, null_value, not_found, outside_max_age).");
        Retries = _meter.CreateCounter<long>("streamingfeatures.serving.read.retries", "{request}", "ReadRows requests sent again after a transient failure.");
    }

    public Meter Meter => _meter;

    public Histogram<double> ReadDuration { get; }

    public Counter<long> Keys { get; }

    public Histogram<int> BatchKeys { get; }

    public Counter<long> Features { get; }

    public Counter<long> Retries { get; }

    public void Dispose() => _meter.Dispose();
}
