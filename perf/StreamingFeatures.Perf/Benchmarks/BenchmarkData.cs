using System.Threading.Tasks.Dataflow;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Perf.Benchmarks;

/// <summary>
/// One 1,024-row chunk of the synthetic source (8 int64 features, the default key format) and the mapper the pipeline
/// would compile for it, shared by the micro benchmarks so they all measure the same rows.
/// </summary>
internal sealed class BenchmarkData
{
    public const int ChunkRows = 1_024;
    public const int Features = 8;
    public const string TableName = "projects/perf/instances/perf/tables/bench";

    private BenchmarkData(SyntheticSource source, SourceChunk chunk, FeatureSetOptions featureSet)
    {
        Source = source;
        Chunk = chunk;
        FeatureSet = featureSet;
        Keys = new RowKeyFormat(featureSet.RowKey);
        Mapper = RowMapper.Create(featureSet, source.Schema, new BatchingOptions().MaxBytes);
        Entities = (BinaryColumn)chunk.Columns[0];
        EventTimes = ((Int64Column)chunk.Columns[1]).Values;
        Values = [.. Enumerable.Range(0, Features).Select(f => ((Int64Column)chunk.Columns[2 + f]).Values)];
    }

    public SyntheticSource Source { get; }

    public SourceChunk Chunk { get; }

    public FeatureSetOptions FeatureSet { get; }

    public RowKeyFormat Keys { get; }

    public RowMapper Mapper { get; }

    /// <summary>The entity ids as the source hands them over: UTF-8 in one Arrow-style column.</summary>
    public BinaryColumn Entities { get; }

    public long[] EventTimes { get; }

    /// <summary>Feature values, [feature][row].</summary>
    public long[][] Values { get; }

    /// <summary>Generates the chunk through the source's own partition loop, exactly as the pipeline receives it.</summary>
    public static BenchmarkData Create()
    {
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = ChunkRows, Features = Features, Partitions = 1, ChunkRows = ChunkRows });
        var target = new BufferBlock<SourceChunk>();
        source.RunAsync(target, CancellationToken.None).GetAwaiter().GetResult();
        if (!target.TryReceiveAll(out IList<SourceChunk>? chunks) || chunks.Count != 1)
        {
            throw new InvalidOperationException("The synthetic source did not produce one chunk.");
        }

        return new BenchmarkData(source, chunks[0], source.FeatureSet("bench"));
    }
}
