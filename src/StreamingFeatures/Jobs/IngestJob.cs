using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Jobs;

/// <summary>
/// Ingestion as one job: the graph from a subscription's source to Bigtable, run until a stop, a fault or the source's
/// end; then the source is closed, acking what was written and nacking the rest so Pub/Sub redelivers it at once.
/// The table is provisioned (<see cref="ProvisionAsync"/>) before the source is made. A host adds only its lifetime,
/// logging and exit codes.
/// </summary>
internal sealed class IngestJob
{
    private readonly IngestJobOptions _options;
    private readonly IIngestSource _source;
    private readonly IngestionPipeline _pipeline;

    /// <summary>Builds the graph over <paramref name="source"/>; nothing is pulled until <see cref="RunAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the source's schema does not fit the feature set.</exception>
    public IngestJob(
        IngestJobOptions options,
        FeatureSetOptions featureSet,
        BigtableConnection bigtable,
        IIngestSource source,
        PipelineMetrics metrics,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(featureSet);
        ArgumentNullException.ThrowIfNull(bigtable);
        ArgumentNullException.ThrowIfNull(source);
        _options = options;
        _source = source;
        BigtableTarget target = bigtable.Target(featureSet.Table);
        TableName = target.TableName;
        _pipeline = new IngestionPipeline(
            featureSet,
            source,
            target,
            source.DeadLetters,
            options.Pipeline,
            metrics,
            time,
            completion: source);
    }

    /// <summary><c>projects/P/instances/I/tables/T</c>.</summary>
    public string TableName { get; }

    /// <summary>The row keys the job writes, for lookups.</summary>
    public RowKeyFormat Keys => _pipeline.Keys;

    /// <summary>Creates or checks the job's table, as <see cref="IngestJobOptions.Provisioning"/> says; true when anything was created.</summary>
    /// <exception cref="TableMissingException">The table is missing and may not be created.</exception>
    public static Task<bool> ProvisionAsync(BigtableConnection bigtable, FeatureSetOptions featureSet, IngestJobOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return JobTable.ProvisionAsync(bigtable, featureSet, options.Provisioning, cancellationToken);
    }

    /// <summary>The readiness probe: fails when Bigtable cannot be reached.</summary>
    public static Task ProbeAsync(BigtableConnection bigtable, string tableName, CancellationToken cancellationToken) =>
        JobTable.ProbeAsync(bigtable, tableName, cancellationToken);

    /// <summary>
    /// Runs the graph until <paramref name="stop"/> (then pulling stops and in-flight rows drain within the pipeline's
    /// drain timeout), a fatal fault or the source's end; then tells <paramref name="graphEnded"/> how it ended and,
    /// once that returns (or throws), closes the source within the close timeout. The host uses it to report not
    /// ready, stop what feeds the subscription and log why the graph ended, all before the close.
    /// </summary>
    public async Task<IngestJobResult> RunAsync(CancellationToken stop, Func<IngestOutcome, PipelineException?, Task>? graphEnded = null)
    {
        IngestOutcome outcome;
        PipelineException? fault = null;
        try
        {
            PipelineResult result = await _pipeline.RunAsync(stop).ConfigureAwait(false);
            outcome = result.Stopped ? IngestOutcome.Stopped : IngestOutcome.SourceEnded;
        }
        catch (PipelineException e)
        {
            outcome = IngestOutcome.Faulted;
            fault = e;
        }

        Exception? closeFailure;
        try
        {
            if (graphEnded is not null)
            {
                await graphEnded(outcome, fault).ConfigureAwait(false);
            }
        }
        finally
        {
            closeFailure = await CloseSourceAsync().ConfigureAwait(false);
        }

        return new IngestJobResult(outcome, fault, closeFailure);
    }

    private async Task<Exception?> CloseSourceAsync()
    {
        try
        {
            // Acks for the rows written, nacks for the rest, so Pub/Sub redelivers them at once to another replica.
            await _source.CloseAsync(_options.CloseTimeout, CancellationToken.None).ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // What cannot be nacked is redelivered when its lease lapses; the result says so.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }
}
