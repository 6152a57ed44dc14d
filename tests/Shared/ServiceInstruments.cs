using System.Diagnostics.Metrics;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.TestShared;

/// <summary>
/// Every instrument the ingest service creates, as its pipeline and Pub/Sub source create them: a listener sees each
/// one published on a fresh <see cref="PipelineMetrics"/>' meter, so an instrument added later is checked too.
/// </summary>
internal static class ServiceInstruments
{
    public static IReadOnlyList<Instrument> All()
    {
        using var metrics = new PipelineMetrics();
        _ = new PubSubMetrics(metrics.Meter, "projects/p/subscriptions/s", new FlowBudget(1, 1));
        return Published(metrics.Meter);
    }

    /// <summary>The instruments created on <paramref name="meter"/> so far.</summary>
    public static IReadOnlyList<Instrument> Published(Meter meter)
    {
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    instruments.Add(instrument);
                }
            },
        };
        listener.Start();
        return instruments;
    }

    /// <summary>The explicit bucket boundaries an instrument's advice gives, or null (no advice, or not a histogram).</summary>
    public static IReadOnlyList<double>? BucketBoundaries(Instrument instrument)
    {
        object? advice = instrument.GetType().GetProperty("Advice")?.GetValue(instrument);
        object? boundaries = advice?.GetType().GetProperty("HistogramBucketBoundaries")?.GetValue(advice);
        return boundaries is System.Collections.IEnumerable values ? [.. values.Cast<object>().Select(value => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture))] : null;
    }

    public static bool IsHistogram(Instrument instrument) => IsA(instrument, typeof(Histogram<>));

    public static bool IsCounter(Instrument instrument) => IsA(instrument, typeof(Counter<>)) || IsA(instrument, typeof(ObservableCounter<>));

    private static bool IsA(Instrument instrument, Type generic) =>
        instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == generic;
}
