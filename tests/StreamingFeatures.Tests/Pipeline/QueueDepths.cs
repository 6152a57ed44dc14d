using System.Diagnostics.Metrics;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>Reads one pipeline's <c>streamingfeatures.queue.depth</c> gauge, block by block, when asked.</summary>
internal sealed class QueueDepths : IDisposable
{
    private const string Instrument = "streamingfeatures.queue.depth";
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, int> _depths = new(StringComparer.Ordinal);

    public QueueDepths(PipelineMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == Instrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "block" && tag.Value is string block)
                {
                    _depths[block] = value;
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Observes every block now, by name; a block the graph has not built yet is missing.</summary>
    public IReadOnlyDictionary<string, int> Read()
    {
        lock (_depths)
        {
            _depths.Clear();
            _listener.RecordObservableInstruments();
            return new Dictionary<string, int>(_depths, StringComparer.Ordinal);
        }
    }

    public void Dispose() => _listener.Dispose();
}
