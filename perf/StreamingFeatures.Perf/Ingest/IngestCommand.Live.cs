using StreamingFeatures.FeatureSets;
using StreamingFeatures.Perf.Pipeline;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Perf.Ingest;

/// <summary>The paced phases: a search for the highest rate the service keeps up with, then half of it.</summary>
internal static partial class IngestCommand
{
    /// <summary>
    /// The search starts at 90 % of the rate the service drained a backlog at, goes up a tenth after a phase the
    /// service kept up with and down a tenth after one it did not.
    /// </summary>
    private static async Task<(LivePhase? Sustained, LivePhase? Half, List<LivePhase> Search)> MeasureLiveAsync(RunContext context, FeatureSetOptions featureSet, string tableName, double drainRate)
    {
        string topic = await context.CreateTopicAsync("live").ConfigureAwait(false);
        string subscription = await context.CreateSubscriptionAsync(topic, "live").ConfigureAwait(false);
        var publisher = new EventPublisher(context.PubSub, context.Args.Features);
        await using ServiceRun service = ServiceRun.Start(context.PubSub, context.Bigtable, subscription, featureSet, tableName);

        var search = new List<LivePhase>();
        LivePhase? best = null;
        double rate = Math.Round(drainRate * 0.009) * 100;
        for (int step = 0; step < context.Args.RateSteps; step++)
        {
            LivePhase phase = await RunLiveAsync(context, publisher, service, topic, rate).ConfigureAwait(false);
            search.Add(phase);
            if (phase.CaughtUp && (best is null || phase.OfferedPerSecond > best.OfferedPerSecond))
            {
                best = phase;
            }

            rate = Math.Round(rate * (phase.CaughtUp ? 0.011 : 0.009)) * 100;
        }

        LivePhase? half = best is null ? null : await RunLiveAsync(context, publisher, service, topic, best.OfferedPerSecond / 2).ConfigureAwait(false);
        return (best, half, search);
    }

    private static async Task<LivePhase> RunLiveAsync(RunContext context, EventPublisher publisher, ServiceRun service, string topic, double rate)
    {
        long ackedBefore = service.Acked;
        service.TakeFreshness();
        PhaseMeasurement measured;
        long published;
        bool caughtUp;
        TimeSpan catchUp;
        await using (PhaseMeter meter = PhaseMeter.Start(sampleWorkingSet: true, context.BigtableProcessId))
        {
            published = await publisher.PublishPacedAsync(topic, rate, context.Args.LiveDuration).ConfigureAwait(false);
            long publishedAt = Environment.TickCount64;
            caughtUp = await service.WaitForAckedAsync(ackedBefore + published, CatchUpLimit).ConfigureAwait(false);
            if (!caughtUp && !await service.WaitForAckedAsync(ackedBefore + published, TimeSpan.FromMinutes(5)).ConfigureAwait(false))
            {
                throw new TimeoutException($"The service acked {service.Acked - ackedBefore:N0} of {published:N0} events of the {rate:N0}/s phase.");
            }

            catchUp = TimeSpan.FromMilliseconds(Environment.TickCount64 - publishedAt);
            measured = meter.Stop(published);
        }

        LatencySummary latency = service.TakeFreshness();
        LivePhase phase = LivePhase.From(rate, published, measured, caughtUp, catchUp, latency);
        Log($"live {rate:N0}/s: {published:N0} published, acked at {phase.AckedPerSecond:N0}/s, {(caughtUp ? "kept up" : "fell behind")} (caught up {catchUp.TotalSeconds:0.0} s after the last publish), p50 {phase.P50Ms} ms, p99 {phase.P99Ms} ms");
        return phase;
    }
}
