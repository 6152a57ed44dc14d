using System.Diagnostics.Metrics;

namespace StreamingFeatures.Telemetry;

/// <summary>
/// The pipeline's instruments on a Meter named <see cref="TelemetryNames.Meter"/>. One instance per pipeline, so
/// tests can listen to just theirs; exporters subscribe by name and see every instance. Names and units follow
/// OpenTelemetry's semantic conventions: dotted lowercase names without units, UCUM units (<c>s</c> for every
/// duration, <c>By</c> for bytes, <c>{row}</c>-style annotations for counts), explicit buckets on every histogram.
/// </summary>
public sealed class PipelineMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly List<(string Block, Func<int> Depth)> _queues = [];
    private readonly List<Func<double?>> _rateLimits = [];

    public PipelineMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(TelemetryNames.Meter) ?? new Meter(TelemetryNames.Meter);
        RowsRead = _meter.CreateCounter<long>("streamingfeatures.rows.read", "{row}", "Rows read from sources.");
        RowsWritten = _meter.CreateCounter<long>("streamingfeatures.rows.written", "{row}", "Rows Bigtable acknowledged.");
        BytesWritten = _meter.CreateCounter<long>("streamingfeatures.data.written", "By", "Bytes of MutateRows entries sent (first attempts).");
        Batches = _meter.CreateCounter<long>("streamingfeatures.batches", "{batch}", "MutateRows batches completed.");
        BatchRows = _meter.CreateHistogram("streamingfeatures.batch.rows", "{row}", "Rows per MutateRows batch.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = MetricBuckets.Rows });
        BatchBytes = _meter.CreateHistogram("streamingfeatures.batch.size", "By", "Bytes per MutateRows batch.", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = MetricBuckets.Size });
        WriteLatency = _meter.CreateHistogram("streamingfeatures.write.duration", "s", "Time to land a batch, retries included.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.Duration });
        Retries = _meter.CreateCounter<long>("streamingfeatures.write.retries", "{entry}", "Entries sent again, by status code.");
        DeadLetters = _meter.CreateCounter<long>("streamingfeatures.dead_letters", "{row}", "Records sent to the dead letter, by reason.");
        Verified = _meter.CreateCounter<long>("streamingfeatures.verification.rows", "{row}", "Rows read back, by result (matched, missing, changed).");
        _meter.CreateObservableGauge("streamingfeatures.queue.depth", ObserveQueues, "{item}", "Items waiting in a pipeline block.");
        _meter.CreateObservableGauge("streamingfeatures.write.rate_limit", ObserveRateLimits, "{request}/s", "MutateRows requests per second Bigtable's RateLimitInfo allows; absent while unlimited.");
    }

    public Meter Meter => _meter;

    public Counter<long> RowsRead { get; }

    public Counter<long> RowsWritten { get; }

    public Counter<long> BytesWritten { get; }

    public Counter<long> Batches { get; }

    public Histogram<int> BatchRows { get; }

    public Histogram<int> BatchBytes { get; }

    public Histogram<double> WriteLatency { get; }

    public Counter<long> Retries { get; }

    public Counter<long> DeadLetters { get; }

    public Counter<long> Verified { get; }

    /// <summary>Reports a block's queue depth as <c>streamingfeatures.queue.depth{block=name}</c>.</summary>
    public void ObserveQueue(string block, Func<int> depth)
    {
        lock (_queues)
        {
            _queues.Add((block, depth));
        }
    }

    /// <summary>Reports a writer's request rate limit as <c>streamingfeatures.write.rate_limit</c> while it has one.</summary>
    public void ObserveRateLimit(Func<double?> requestsPerSecond)
    {
        lock (_rateLimits)
        {
            _rateLimits.Add(requestsPerSecond);
        }
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObserveQueues()
    {
        lock (_queues)
        {
            return _queues.Select(q => new Measurement<int>(q.Depth(), new KeyValuePair<string, object?>("block", q.Block))).ToList();
        }
    }

    private IEnumerable<Measurement<double>> ObserveRateLimits()
    {
        lock (_rateLimits)
        {
            return _rateLimits.Select(limit => limit()).OfType<double>().Select(rate => new Measurement<double>(rate)).ToList();
        }
    }
}
