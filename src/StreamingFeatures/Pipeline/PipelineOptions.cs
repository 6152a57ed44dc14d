using StreamingFeatures.Bigtable;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Pipeline;

/// <summary>Every bound of the graph in one place; validated, all errors at once, when the graph is built.</summary>
public sealed record PipelineOptions
{
    /// <summary>Parallel map workers (1 to 256). Default: the processor count.</summary>
    public int MapParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Source chunks waiting for a map worker (1 to 1,024). Default: twice <see cref="MapParallelism"/>.</summary>
    public int? ChunkQueue { get; init; }

    public BatchingOptions Batching { get; init; } = new();

    public BigtableWriterOptions Writer { get; init; } = new();

    public VerificationOptions Verification { get; init; } = new();

    /// <summary>
    /// After a stop is asked for, how long in-flight rows may take to land (0 to 10 min) before the writes are cut
    /// off. Default 30 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The time event times are bounded against (at most the feature set's maxFutureSkew ahead): a migration's
    /// snapshot time, the same in every run of the job. Null: the pipeline's clock as each chunk is mapped (ingestion).
    /// </summary>
    public DateTimeOffset? EventTimeReference { get; init; }

    internal int EffectiveChunkQueue => ChunkQueue ?? (2 * MapParallelism);

    public void Validate()
    {
        var errors = new List<string>();
        OptionChecks.Range(errors, nameof(MapParallelism), MapParallelism, 1, 256);
        OptionChecks.Range(errors, nameof(ChunkQueue), EffectiveChunkQueue, 1, 1024);
        OptionChecks.Range(errors, nameof(DrainTimeout), DrainTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(10));
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
