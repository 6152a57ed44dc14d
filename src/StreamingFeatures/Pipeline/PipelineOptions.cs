using StreamingFeatures.Bigtable;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Pipeline;

/// <summary>Every bound of the graph in one place; validated, all errors at once, when the graph is built.</summary>
public sealed record PipelineOptions
{
    /// <summary>Parallel map workers (1 to 256). Default: the processor count.</summary>
    public int MapParallelism { get; init; } = PipelineLimits.MapParallelism.Default;

    /// <summary>Source chunks waiting for a map worker (1 to 1,024). Default: twice <see cref="MapParallelism"/>.</summary>
    public int? ChunkQueue { get; init; }

    /// <summary>Mapped chunks waiting for the batcher (1 to 1,024). Default 2.</summary>
    public int BatcherQueue { get; init; } = PipelineLimits.BatcherQueue.Default;

    /// <summary>
    /// Full batches waiting for a free writer (1 to 64). Default 1: each holds up to <see cref="BatchingOptions.MaxBytes"/>,
    /// and the writer's own bound on requests in flight is where batches should wait.
    /// </summary>
    public int BatchQueue { get; init; } = PipelineLimits.BatchQueue.Default;

    /// <summary>Write outcomes waiting to be settled (1 to 64). Default 2.</summary>
    public int SettleQueue { get; init; } = PipelineLimits.SettleQueue.Default;

    public BatchingOptions Batching { get; init; } = new();

    public BigtableWriterOptions Writer { get; init; } = new();

    public VerificationOptions Verification { get; init; } = new();

    /// <summary>
    /// After a stop is asked for, how long in-flight rows may take to land (0 to 10 min) before the writes are cut
    /// off. Default 30 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = PipelineLimits.DrainTimeout.Default;

    /// <summary>
    /// The time event times are bounded against (at most the feature set's maxFutureSkew ahead): a migration's
    /// snapshot time, the same in every run of the job. Null: the pipeline's clock as each chunk is mapped (ingestion).
    /// </summary>
    public DateTimeOffset? EventTimeReference { get; init; }

    internal int EffectiveChunkQueue => ChunkQueue ?? (2 * MapParallelism);

    /// <summary>
    /// A copy, nested options included, taken when a graph is built (as Dataflow copies block options): what the
    /// caller does with its instance afterwards changes nothing in a graph that runs.
    /// </summary>
    internal PipelineOptions Snapshot() => this with
    {
        Batching = Batching with { },
        Writer = Writer with { },
        Verification = Verification with { ReadRetry = Verification.ReadRetry with { } },
    };

    public void Validate()
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, nameof(MapParallelism), MapParallelism, PipelineLimits.MapParallelism);
        OptionChecks.Range(errors, nameof(ChunkQueue), EffectiveChunkQueue, PipelineLimits.ChunkQueue);
        OptionChecks.Range(errors, nameof(BatcherQueue), BatcherQueue, PipelineLimits.BatcherQueue);
        OptionChecks.Range(errors, nameof(BatchQueue), BatchQueue, PipelineLimits.BatchQueue);
        OptionChecks.Range(errors, nameof(SettleQueue), SettleQueue, PipelineLimits.SettleQueue);
        OptionChecks.Range(errors, nameof(DrainTimeout), DrainTimeout, PipelineLimits.DrainTimeout);
        Batching.Validate(errors);
        Verification.Validate(errors);
        try
        {
            Writer.Validate();
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message);
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid pipeline options: " + string.Join(" ", errors));
        }
    }
}
