using System.Threading.Tasks.Dataflow;

namespace StreamingFeatures.Sources;

/// <summary>
/// Where rows come from. A source sends chunks with <c>SendAsync</c>, so a full pipeline pauses it (backpressure),
/// and returns when it has sent everything; it never completes the target (the pipeline does, after every source).
/// </summary>
public interface IRowSource
{
    SourceSchema Schema { get; }

    /// <summary>A name for logs and reports, e.g. the BigQuery table or the file glob.</summary>
    string Description { get; }

    /// <summary>How many rows the source expects to send, when known (for progress and ETA).</summary>
    long? ExpectedRows { get; }

    Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken);

    /// <summary>
    /// The offset of a partition's first row: 0 for streams and files; the generator numbers rows across partitions.
    /// Progress counts a partition's rows from here.
    /// </summary>
    long FirstOffset(int partition) => 0;
}
