using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.Jobs;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>Makes the service's source; <see cref="PubSubIngestSource.Factory"/> in production.</summary>
internal delegate IIngestSource IngestSourceFactory(CallInvoker pubSub, PubSubSourceOptions options, FeatureSetOptions featureSet, PipelineMetrics metrics);

/// <summary>
/// The service's one job: connect (in local mode start the emulators and create what is missing), then run the
/// <see cref="IngestJob"/> with the Pub/Sub source until the host stops. A stop (SIGTERM, Ctrl+C, <c>--duration</c>) stops pulling,
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
        catch (TableMissingException e)
        {
            BadInput(logger, $"Table {e.TableName} does not exist and --no-create forbids creating it.");
            exit = ExitCodes.BadInput;
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
        IngestJobOptions options = settings.JobOptions();
        string tableName = connections.Bigtable.TableName(featureSet.Table);
        if (await IngestJob.ProvisionAsync(connections.Bigtable, featureSet, options, stop).ConfigureAwait(false))
        {
            TableCreated(logger, tableName);
        }

        state.Connected(cancellationToken => IngestJob.ProbeAsync(connections.Bigtable, tableName, cancellationToken));
        await using IIngestSource source = sourceFactory(connections.PubSub.CallInvoker, options.Source, featureSet, metrics);
        var job = new IngestJob(options, featureSet, connections.Bigtable, source, metrics, time);
        Started(logger, settings.Subscription, tableName, job.Keys.ToString(), settings.DeadLetterTopic ?? "none (poison messages are nacked)");
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

        IngestJobResult result = await job.RunAsync(stop, async (outcome, fault) =>
        {
            // Not ready and no more local publishing before the job closes the source.
            state.Stopping();
            await publishing.CancelAsync().ConfigureAwait(false);
            await publisher.ConfigureAwait(false);
            LogEnd(outcome, fault);
        }).ConfigureAwait(false);
        int exit = ExitCode(result);
        summary.LogSummary();
        Stopped(logger, exit);
        return exit;
    }

    private void LogEnd(IngestOutcome outcome, PipelineException? fault)
    {
        switch (outcome)
        {
            case IngestOutcome.SourceEnded:
                SourceEnded(logger);
                break;
            case IngestOutcome.Faulted:
                Fault(logger, fault!.Message, fault);
                break;
        }
    }

    private int ExitCode(IngestJobResult result)
    {
        if (result.CloseFailure is { } closeFailure)
        {
            CloseFailed(logger, closeFailure.Message, closeFailure);
        }

        return result.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }

    private void StopAfterDuration(TimeSpan duration)
    {
        DurationElapsed(logger, duration.TotalSeconds);
        lifetime.StopApplication();
    }
}
