using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>Makes the service's source; <see cref="PubSubIngestSource.Factory"/> in production.</summary>
internal delegate IIngestSource IngestSourceFactory(CallInvoker pubSub, IngestSettings settings, FeatureSetOptions featureSet, PipelineMetrics metrics);

/// <summary>
/// The service's one job: connect (in local mode start the emulators and create what is missing), then run the
/// pipeline with the Pub/Sub source until the host stops. A stop (SIGTERM, Ctrl+C, <c>--duration</c>) stops pulling,
/// drains in-flight rows, acks what was written and nacks the rest, within the shutdown timeout. A fatal fault nacks
/// what is outstanding and stops the host with a non-zero exit code, so Kubernetes restarts the pod.
/// </summary>
/// <remarks>
/// The drain runs in <see cref="StoppingAsync"/>, which the host awaits before it stops any service: the web server
/// (registered last, so stopped first) keeps answering probes and scrapes until the last ack is sent.
/// </remarks>
internal sealed partial class IngestWorker(
    IngestSettings settings,
    FeatureSetOptions featureSet,
    IngestState state,
    PipelineMetrics metrics,
    SummaryLogger summary,
    IngestSourceFactory sourceFactory,
    IngestConnector connector,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<IngestWorker> logger) : BackgroundService, IHostedLifecycleService
{
    private readonly CancellationTokenSource _stop = new();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops pulling and waits for the drain, the last acks and the nacks (or for the host's shutdown timeout).</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (ExecuteTask is { } running)
        {
            await running.WaitAsync(cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _stop.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _stop.Token);
        int exit;
        try
        {
            exit = await RunAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while starting: nothing was pulled.
            exit = ExitCodes.Success;
        }
        catch (Exception e) when (e is IngestConfigurationException or FeatureSetException or SchemaMismatchException or CredentialsException or ArgumentException)
        {
            BadInput(logger, e.Message);
            exit = ExitCodes.BadInput;
        }
#pragma warning disable CA1031 // Any other failure ends the service with its cause logged and a non-zero exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failed(logger, e.Message, e);
            exit = ExitCodes.Failure;
        }

        state.Stopped(exit);
        lifetime.StopApplication();
    }

    private async Task<int> RunAsync(CancellationToken stop)
    {
        await using IngestConnections connections = await connector(settings, stop).ConfigureAwait(false);
        string tableName = connections.Bigtable.TableName(featureSet.Table);
        if (await connections.ProvisionTableAsync(featureSet, settings.NoCreate, stop).ConfigureAwait(false))
        {
            TableCreated(logger, tableName);
        }

        state.Connected(cancellationToken => connections.ProbeBigtableAsync(tableName, cancellationToken));
        await using IIngestSource source = sourceFactory(connections.PubSub.CallInvoker, settings, featureSet, metrics);
        var pipeline = new IngestionPipeline(
            featureSet,
            source,
            connections.Bigtable.Data,
            tableName,
            source.DeadLetters,
            settings.PipelineOptions(),
            metrics,
            time,
            connections.Bigtable.AppProfileId,
            completion: source);
        Started(logger, settings.Subscription, tableName, pipeline.Keys.ToString(), settings.DeadLetterTopic ?? "none (poison messages are nacked)");
        if (settings.Local)
        {
            PrintLocal(connections, tableName);
        }

        using var publishing = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task publisher = PublishAsync(connections, publishing.Token);
        using ITimer? deadline = settings.Duration is { } duration ? time.CreateTimer(_ => StopAfterDuration(duration), null, duration, Timeout.InfiniteTimeSpan) : null;
        using CancellationTokenRegistration stopping = stop.Register(() =>
        {
            state.Stopping();
            Stopping(logger, settings.DrainTimeout.TotalSeconds, settings.CloseTimeout.TotalSeconds);
        });
        state.Running(source);

        int exit = await RunPipelineAsync(pipeline, stop).ConfigureAwait(false);
        state.Stopping();
        await publishing.CancelAsync().ConfigureAwait(false);
        await publisher.ConfigureAwait(false);
        try
        {
            // Acks for the rows written, nacks for the rest, so Pub/Sub redelivers them at once to another replica.
            await source.CloseAsync(settings.CloseTimeout, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // What cannot be nacked is redelivered when its lease lapses; the exit code says so.
        catch (Exception e)
#pragma warning restore CA1031
        {
            CloseFailed(logger, e.Message, e);
            exit = ExitCodes.Failure;
        }

        summary.LogSummary();
        Stopped(logger, exit);
        return exit;
    }

    private async Task<int> RunPipelineAsync(IngestionPipeline pipeline, CancellationToken stop)
    {
        try
        {
            PipelineResult result = await pipeline.RunAsync(stop).ConfigureAwait(false);
            if (result.Stopped)
            {
                return ExitCodes.Success;
            }

            SourceEnded(logger);
            return ExitCodes.Failure;
        }
        catch (PipelineException e)
        {
            Fault(logger, e.Message, e);
            return ExitCodes.Failure;
        }
    }

    private void StopAfterDuration(TimeSpan duration)
    {
        DurationElapsed(logger, duration.TotalSeconds);
        lifetime.StopApplication();
    }
}
