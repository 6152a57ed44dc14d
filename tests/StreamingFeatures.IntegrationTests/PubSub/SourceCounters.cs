using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StreamingFeatures.IntegrationTests.PubSub;

/// <summary>The Pub/Sub source's lease and redelivery counters on one pipeline's Meter, summed while they run.</summary>
internal sealed class SourceCounters : IDisposable
{
    private const string Extensions = "streamingfeatures.pubsub.lease.extensions";
    private const string Expired = "streamingfeatures.pubsub.lease.expired";
    private const string RedeliveredName = "streamingfeatures.pubsub.redelivered";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new(StringComparer.Ordinal);

    public SourceCounters(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name is Extensions or Expired or RedeliveredName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        _listener.Start();
    }

    /// <summary>Messages whose ack deadline was extended (one per message per extension).</summary>
    public long LeaseExtensions => Sum(Extensions);

    /// <summary>Messages given up after the maximum total extension.</summary>
    public long LeasesExpired => Sum(Expired);

    /// <summary>Messages received with a delivery attempt above 1.</summary>
    public long Redelivered => Sum(RedeliveredName);

    public override string ToString() => $"lease extensions {LeaseExtensions}, leases expired {LeasesExpired}, redelivered {Redelivered}";

    public void Dispose() => _listener.Dispose();

    private long Sum(string name) => _sums.TryGetValue(name, out long sum) ? sum : 0;
}
