using System.Diagnostics.Metrics;

namespace StreamingFeatures.Telemetry;

/// <summary>
/// The pipeline's instruments on a Meter named <see cref="TelemetryNames.Meter"/>. One instance per pipeline, so
/// tests can listen to just theirs; exporters subscribe by name and see every instance.
/// </summary>
public sealed class PipelineMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly List<(string Block, Func<int> Depth)> _queues = [];

    public PipelineMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(TelemetryNames.Meter) ?? new Meter(TelemetryNames.Meter);
        RowsRead = _meter.CreateCounter<long>("streamingfeatures.rows.read", "{row}", "Rows read from sources.");
        RowsWritten = _meter.CreateCounter<long>("streamingfeatures.rows.written", "{row}", "Rows Bigtable acknowledged.");
        BytesWritten = _meter.CreateCounter<long>("streamingfeatures.bytes.written", "By", "Bytes of MutateRows entries sent (first attempts).");
        Batches = _meter.CreateCounter<long>("streamingfeatures.batches", "{batch}", "MutateRows batches completed.");
        BatchRows = _meter.CreateHistogram<int>("streamingfeatures.batch.rows", "{row}", "Rows per MutateRows batch.");
        BatchBytes = _meter.CreateHistogram<int>("streamingfeatures.batch.bytes", "By", "Bytes per MutateRows batch.");
        WriteLatency = _meter.CreateHistogram<double>("streamingfeatures.write.duration", "ms", "Time to land a batch, retries included.");
        Retries = _meter.CreateCounter<long>("streamingfeatures.write.retries", "{entry}", "Entries sent again, by status code.");
        DeadLetters = _meter.CreateCounter<long>("streamingfeatures.dead_letters", "{row}", "Records sent to the dead letter, by reason.");
        Verified = _meter.CreateCounter<long>("streamingfeatures.verification.rows", "{row}", "Rows read back, by result (matched, missing, changed).");
        _meter.CreateObservableGauge("streamingfeatures.queue.depth", ObserveQueues, "{item}", "Items waiting in a pipeline block.");
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

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObserveQueues()
    {
        lock (_queues)
        {
            return _queues.Select(q => new Measurement<int>(q.Depth(), new KeyValuePair<string, object?>("block", q.Block))).ToList();
        }
    }
}
