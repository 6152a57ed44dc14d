using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Perf.Ingest;

/// <summary>
/// The ingestion service's data path in this process, as <c>streamingfeatures ingest</c> builds it: a Pub/Sub
/// source with its default flow control and leases feeding the pipeline with default options, acks after writes.
/// (Health endpoints, metric export and logs are left out: they cost nothing per event.)
/// </summary>
internal sealed class ServiceRun : IAsyncDisposable
{
    private readonly PubSubSource _source;
    private readonly CancellationTokenSource _stop;
    private readonly Task<PipelineResult> _run;

    private ServiceRun(PubSubSource source, CancellationTokenSource stop, Task<PipelineResult> run)
    {
        _source = source;
        _stop = stop;
        _run = run;
    }

    public long Acked => _source.Status.Acked;

    public long Received => _source.Status.Received;

    public static ServiceRun Start(CallInvoker pubSub, CallInvoker bigtable, string subscription, FeatureSetOptions featureSet, string tableName)
    {
        var source = PubSubSource.Create(pubSub, new PubSubSourceOptions { Subscription = subscription }, featureSet);
        var pipeline = new IngestionPipeline(
            featureSet,
            source,
            new BigtableTarget(bigtable, tableName),
            source.DeadLetters,
            new PipelineOptions { Verification = new VerificationOptions { Mode = VerificationMode.None } },
            completion: source);
        var stop = new CancellationTokenSource();
        return new ServiceRun(source, stop, pipeline.RunAsync(stop.Token));
    }

    /// <summary>Waits until <paramref name="target"/> messages are acked; false when the timeout passes first or the pipeline ends.</summary>
    public async Task<bool> WaitForAckedAsync(long target, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Acked < target)
        {
            if (_run.IsCompleted || Environment.TickCount64 > deadline)
            {
                return false;
            }

            await Task.Delay(5).ConfigureAwait(false);
        }

        return true;
    }

    public LatencySummary TakeFreshness() => _source.TakeFreshnessSummary();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        finally
        {
            await _source.CloseAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            await _source.DisposeAsync().ConfigureAwait(false);
            _stop.Dispose();
        }
    }
}
