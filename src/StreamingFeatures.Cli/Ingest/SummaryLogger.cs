using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// Logs one summary line every <see cref="IngestSettings.SummaryInterval"/> while the pipeline runs: events/s, rows
/// written, acked, nacked, dead letters, outstanding, and freshness (publish → written) p50/p99 since the last line.
/// Rows written and dead letters are counted from this pipeline's own instruments: dead letters are the messages
/// published to the dead-letter topic (<c>streamingfeatures.pubsub.dead_letters</c>, poison included), the figure
/// <c>/metrics</c> exports, with the poison among them shown apart.
/// </summary>
internal sealed partial class SummaryLogger : BackgroundService
{
    private readonly IngestState _state;
    private readonly IngestSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<SummaryLogger> _logger;
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private long _lastAt;
    private long _written;
    private long _deadLetters;
    private long _poison;
    private PubSubSourceStatus? _previous;

    public SummaryLogger(IngestState state, IngestSettings settings, PipelineMetrics metrics, TimeProvider time, ILogger<SummaryLogger> logger)
    {
        _state = state;
        _settings = settings;
        _time = time;
        _logger = logger;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && (ReferenceEquals(instrument, metrics.RowsWritten) || instrument.Name == PubSubMetrics.DeadLettersName))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (ReferenceEquals(instrument, metrics.RowsWritten))
            {
                Interlocked.Add(ref _written, value);
                return;
            }

            Interlocked.Add(ref _deadLetters, value);
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == PubSubMetrics.OriginTag && Equals(tag.Value, PubSubMetrics.SourceOrigin))
                {
                    Interlocked.Add(ref _poison, value);
                }
            }
        });
        _listener.Start();
        _lastAt = time.GetTimestamp();
    }

    /// <summary>Rows written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Messages published to the dead-letter topic so far, poison included.</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Of <see cref="DeadLetters"/>, the poison: messages the source could not make a row of.</summary>
    public long Poison => Interlocked.Read(ref _poison);

    public override void Dispose()
    {
        _listener.Dispose();
        base.Dispose();
    }

    /// <summary>Logs the line for the interval since the last one (also called once more at the end of the run).</summary>
    public void LogSummary()
    {
        lock (_lock)
        {
            TimeSpan interval = _time.GetElapsedTime(_lastAt);
            _lastAt = _time.GetTimestamp();
            if (_state.Source is { } source)
            {
                Log(source, interval);
            }
        }
    }

    private void Log(IIngestSource source, TimeSpan interval)
    {
        PubSubSourceStatus status = source.Status;
        LatencySummary freshness = source.TakeFreshnessSummary();
        long received = status.Received - (_previous?.Received ?? 0);
        _previous = status;
        Summary(
            _logger,
            received / Math.Max(interval.TotalSeconds, 0.001),
            Written,
            status.Acked,
            status.Nacked,
            DeadLetters,
            Poison,
            status.OutstandingMessages,
            freshness.P50.TotalMilliseconds,
            freshness.P99.TotalMilliseconds,
            status.ConnectedStreams);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(_settings.SummaryInterval, _time, stoppingToken).ConfigureAwait(false);
                LogSummary();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops; the worker logs the last line.
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "Summary: {EventsPerSecond:0.0} events/s, {RowsWritten} rows written, {Acked} acked, {Nacked} nacked, {DeadLetters} dead letters ({Poison} poison), {Outstanding} outstanding, freshness p50 {FreshnessP50Ms:0} ms p99 {FreshnessP99Ms:0} ms, {ConnectedStreams} streams")]
    private static partial void Summary(ILogger logger, double eventsPerSecond, long rowsWritten, long acked, long nacked, long deadLetters, long poison, long outstanding, double freshnessP50Ms, double freshnessP99Ms, int connectedStreams);
}
