using System.Diagnostics.Metrics;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// The Pub/Sub source's instruments, on the pipeline's Meter, each tagged with the subscription. Counters are added
/// per batch or per event, never per value on the hot path.
/// </summary>
internal sealed class PubSubMetrics
{
    /// <summary>Read by the ingest summary line, so its dead letters are the figure <c>/metrics</c> exports.</summary>
    public const string DeadLettersName = "streamingfeatures.pubsub.dead_letters";

    /// <summary>The tag of <see cref="DeadLetters"/> telling poison (<c>source</c>) from the graph's dead letters (<c>pipeline</c>).</summary>
    public const string OriginTag = "origin";

    public const string SourceOrigin = "source";

    private readonly KeyValuePair<string, object?> _subscription;

    public PubSubMetrics(Meter meter, string subscription, FlowBudget budget)
    {
        _subscription = new KeyValuePair<string, object?>("subscription", subscription);
        Received = meter.CreateCounter<long>("streamingfeatures.pubsub.received", "{message}", "Messages received by StreamingPull (redeliveries included).");
        Redelivered = meter.CreateCounter<long>("streamingfeatures.pubsub.redelivered", "{message}", "Messages received with a delivery attempt above 1 (subscriptions with a dead-letter policy).");
        Acked = meter.CreateCounter<long>("streamingfeatures.pubsub.acked", "{message}", "Messages acknowledged.");
        Nacked = meter.CreateCounter<long>("streamingfeatures.pubsub.nacked", "{message}", "Messages handed back for redelivery (ack deadline 0).");
        AckFailures = meter.CreateCounter<long>("streamingfeatures.pubsub.ack.failures", "{message}", "Acks, nacks, extensions or receipt modacks (exactly-once: the message is dropped) Pub/Sub refused for good, by operation.");
        LeaseExtensions = meter.CreateCounter<long>("streamingfeatures.pubsub.lease.extensions", "{message}", "Ack deadlines extended while messages wait in the graph.");
        LeasesExpired = meter.CreateCounter<long>("streamingfeatures.pubsub.lease.expired", "{message}", "Leases given up after the maximum total extension (Pub/Sub redelivers).");
        Reconnects = meter.CreateCounter<long>("streamingfeatures.pubsub.stream.reconnects", "{stream}", "StreamingPull streams opened again after a break, by status code.");
        Poison = meter.CreateCounter<long>("streamingfeatures.pubsub.poison", "{message}", "Messages that could not become rows, by reason.");
        DeadLetters = meter.CreateCounter<long>(DeadLettersName, "{message}", "Messages published to the dead-letter topic, by reason and origin (source: poison that never became a row; pipeline: rows the graph dead-lettered).");
        DeadLetterPublishFailures = meter.CreateCounter<long>("streamingfeatures.pubsub.dead_letter.failures", "{message}", "Dead-letter publishes that failed after retries (the message is nacked).");
        Freshness = meter.CreateHistogram("streamingfeatures.pubsub.freshness", "s", "Publish time to acknowledged (the row written), per message.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.Freshness });
        meter.CreateObservableGauge("streamingfeatures.pubsub.outstanding.messages", () => new Measurement<long>(budget.Messages, _subscription), "{message}", "Messages received and not yet acked or nacked.");
        meter.CreateObservableGauge("streamingfeatures.pubsub.outstanding.size", () => new Measurement<long>(budget.Bytes, _subscription), "By", "Data bytes of the outstanding messages.");
    }

    public Counter<long> Received { get; }

    public Counter<long> Redelivered { get; }

    public Counter<long> Acked { get; }

    public Counter<long> Nacked { get; }

    public Counter<long> AckFailures { get; }

    public Counter<long> LeaseExtensions { get; }

    public Counter<long> LeasesExpired { get; }

    public Counter<long> Reconnects { get; }

    public Counter<long> Poison { get; }

    public Counter<long> DeadLetters { get; }

    public Counter<long> DeadLetterPublishFailures { get; }

    public Histogram<double> Freshness { get; }

    public void Add(Counter<long> counter, long value)
    {
        if (value != 0)
        {
            counter.Add(value, _subscription);
        }
    }

    public void Add(Counter<long> counter, long value, string tag, string tagValue) =>
        counter.Add(value, _subscription, new KeyValuePair<string, object?>(tag, tagValue));

    public void AddPoison(DeadLetterReason reason) => Add(Poison, 1, "reason", reason.ToString());

    /// <summary>One message landed on the dead-letter topic.</summary>
    public void AddDeadLetter(DeadLetterReason reason, bool poison) => DeadLetters.Add(
        1,
        _subscription,
        new KeyValuePair<string, object?>("reason", reason.ToString()),
        new KeyValuePair<string, object?>(OriginTag, poison ? SourceOrigin : "pipeline"));

    public void RecordFreshness(TimeSpan latency) => Freshness.Record(latency.TotalSeconds, _subscription);
}
