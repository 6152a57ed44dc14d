using System.Diagnostics;
using System.Diagnostics.Metrics;
using HdrHistogram;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.LoadTesting;

/// <summary>Closing intervals: counts, percentiles, key-range writes, queue depths, CPU and memory.</summary>
public sealed partial class LoadRecorder
{
    private const string QueueInstrument = "streamingfeatures.queue.depth";
    private readonly Dictionary<string, long> _queues = new(StringComparer.Ordinal);
    private Func<(TimeSpan Cpu, long WorkingSet)> _processProbe;
    private MeterListener? _listener;
    private TimeSpan _lastCpu;

    /// <summary>Reads the queue depth of every block of <paramref name="metrics"/> at each interval's end.</summary>
    public void ObserveQueues(PipelineMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == QueueInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "block" && tag.Value is string block)
                {
                    _queues[block] = value;
                }
            }
        });
        _listener.Start();
    }

    /// <summary>For tests: what the process's CPU time and working set read as.</summary>
    internal void UseProcessProbe(Func<(TimeSpan Cpu, long WorkingSet)> probe) => _processProbe = probe;

    /// <summary>
    /// Closes an interval at every boundary of <see cref="LoadMeasure.Interval"/> until <paramref name="stop"/>,
    /// handing each to <paramref name="closed"/> (e.g. a progress line).
    /// </summary>
    public async Task RunSamplerAsync(CancellationToken stop, Action<LoadInterval>? closed = null)
    {
        TimeSpan interval = _intervals.Measure.Interval;
        for (long i = 1; !stop.IsCancellationRequested; i++)
        {
            TimeSpan wait = (interval * i) - Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, Time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            LoadInterval done = CloseInterval();
            closed?.Invoke(done);
        }
    }

    /// <summary>Closes the interval from the last close until now.</summary>
    public LoadInterval CloseInterval()
    {
        long now = Time.GetTimestamp();
        (TimeSpan cpu, long workingSet) = _processProbe();
        lock (_lock)
        {
            _queues.Clear();
            _listener?.RecordObservableInstruments();
            LoadInterval interval = _intervals.Close(now, new IntervalCounts(
                Offered: Interlocked.Exchange(ref _intervalOffered, 0),
                Achieved: _intervalWritten,
                DeadLetters: _intervalDeadLetters,
                Retries: _intervalRetries,
                LatencyMs: Figures(_interval),
                Queues: new Dictionary<string, long>(_queues, StringComparer.Ordinal),
                CpuSeconds: (cpu - _lastCpu).TotalSeconds,
                Processors: Environment.ProcessorCount,
                WorkingSetBytes: workingSet,
                ManagedHeapBytes: GC.GetTotalMemory(forceFullCollection: false)));
            _interval.Reset();
            _intervalWritten = 0;
            _intervalDeadLetters = 0;
            _intervalRetries = 0;
            _lastCpu = cpu;
            return interval;
        }
    }

    /// <summary>Latency over the measured window (after the warm-up), in milliseconds.</summary>
    internal LatencyFigures TotalLatency()
    {
        lock (_lock)
        {
            return Figures(_total);
        }
    }

    /// <summary>Latency at percentiles 0 to 100, denser towards the tail, for the distribution chart.</summary>
    public IReadOnlyList<LatencyPoint> LatencyDistribution()
    {
        lock (_lock)
        {
            return _total.TotalCount == 0
                ? []
                : LoadIntervals.Distribution(p => _total.GetValueAtPercentile(p) / 1000.0, _total.GetMaxValue() / 1000.0);
        }
    }

    internal static LatencyFigures Figures(LongHistogram histogram) => histogram.TotalCount == 0
        ? new LatencyFigures(0, 0, 0, 0, 0, 0, 0)
        : new LatencyFigures(
            histogram.TotalCount,
            histogram.GetMean() / 1000.0,
            histogram.GetValueAtPercentile(50) / 1000.0,
            histogram.GetValueAtPercentile(90) / 1000.0,
            histogram.GetValueAtPercentile(99) / 1000.0,
            histogram.GetValueAtPercentile(99.9) / 1000.0,
            histogram.GetMaxValue() / 1000.0);

    private static (TimeSpan Cpu, long WorkingSet) ReadProcess()
    {
        using var process = Process.GetCurrentProcess();
        return (process.TotalProcessorTime, process.WorkingSet64);
    }
}
