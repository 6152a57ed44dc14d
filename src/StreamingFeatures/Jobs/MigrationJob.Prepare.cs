using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Files;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Jobs;

/// <summary>Opening the source where the last run stopped and building the graph over it; nothing is written yet.</summary>
public sealed partial class MigrationJob
{
    /// <summary>Opens the source and builds the graph: what the job will do, for the host to check and show.</summary>
    /// <param name="bigQueryEndpoint">A BigQuery Storage endpoint the host serves (required for <see cref="MigrationSource.Sample"/>); null reads BigQuery at Google.</param>
    /// <param name="cancellationToken">Stops opening the source.</param>
    /// <exception cref="MigrationInputException">The source, its schema or the feature set cannot be used.</exception>
    public async Task<MigrationPlan> PrepareAsync(CallInvoker? bigQueryEndpoint, CancellationToken cancellationToken)
    {
        BigtableConnection bigtable = Connected;
        FeatureSetOptions featureSet = _options.FeatureSet;
        _progress = new ProgressTracker(Checkpoint?.Committed());
        _deadLetters = new JsonLinesDeadLetterSink(_options.DeadLetterFile);
        try
        {
            await OpenSourceAsync(bigQueryEndpoint, new SourceRejections(_deadLetters, _progress), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FeatureSetException or FileSourceException or BigQuerySourceException or ArgumentException)
        {
            throw new MigrationInputException(e.Message, e);
        }

        if (_checkpointMoved)
        {
            // The checkpoint moved to a session created after the one it read expired: its offsets restart.
            _progress = new ProgressTracker(Checkpoint?.Committed());
        }

        // Event times may not be far ahead of the snapshot (files: the first run's start), the same in every run.
        _snapshot = _opened.BigQuery?.Session.SnapshotTime ?? Checkpoint?.SnapshotTime ?? _time.GetUtcNow();
        BuildPipeline();
        BigtableTarget target = bigtable.Target(featureSet.Table);
        return new MigrationPlan(
            _opened.Source!.Description,
            target.TableName,
            bigtable.IsEmulator ? "emulator " + bigtable.DataAddress : "Google Cloud",
            Prepared.Keys,
            _opened.Restriction,
            _opened.BigQuery?.Session,
            _opened.Source.ExpectedRows);
    }

    /// <summary>The graph over the opened source and the progress tracker (again after a read session is renewed).</summary>
    /// <exception cref="MigrationInputException">The feature set does not fit the source.</exception>
    private void BuildPipeline()
    {
        BigtableTarget target = Connected.Target(_options.FeatureSet.Table);
        _metrics?.Dispose();
        _metrics = new PipelineMetrics();
        try
        {
            _pipeline = new IngestionPipeline(
                _options.FeatureSet,
                _opened.Source!,
                target,
                _deadLetters!,
                _options.RetryDeadline is { } deadline
                    ? new PipelineOptions { Verification = _options.Verification with { ReadRetry = Retry(CallRetryOptions.BigtableRead) }, Writer = new BigtableWriterOptions { RetryDeadline = deadline }, EventTimeReference = _snapshot }
                    : new PipelineOptions { Verification = _options.Verification, EventTimeReference = _snapshot },
                _metrics,
                progress: _progress);
        }
        catch (Exception e) when (e is FeatureSetException or SchemaMismatchException or ArgumentException)
        {
            throw new MigrationInputException(e.Message, e);
        }
    }

    /// <summary>
    /// Creates the table and its missing families, or under <see cref="TableProvisioning.Forbid"/> only checks that
    /// it exists. Returns true when anything was created.
    /// </summary>
    /// <exception cref="TableMissingException">The table does not exist and may not be created.</exception>
    public Task<bool> ProvisionAsync(CancellationToken cancellationToken)
    {
        BigtableConnection bigtable = Connected;
        var admin = new BigtableTableAdmin.BigtableTableAdminClient(bigtable.Admin);
        return TableProvisioner.ProvisionAsync(admin, bigtable.InstanceName, _options.FeatureSet, _options.Provisioning, cancellationToken, Retry(CallRetryOptions.BigtableAdmin));
    }
}
