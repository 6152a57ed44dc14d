using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>
/// A stand-in for the Pub/Sub source that behaves like a stream: sends the synthetic table's rows, then waits for
/// more until stopped (or fails, when asked), counts the rows the pipeline reports done, and records its close.
/// </summary>
internal sealed class RowsIngestSource(long rows, bool failAfterSending = false) : IIngestSource
{
    private readonly SyntheticSource _rows = new(new SyntheticSourceOptions { Rows = rows, Partitions = 1, ChunkRows = 500 });
    private long _done;
    private long _doneAtClose = -1;
    private int _runs;

    public SourceSchema Schema => _rows.Schema;

    public string Description => "rows";

    public long? ExpectedRows => null;

    public IDeadLetterSink DeadLetters { get; } = new CollectingDeadLetterSink();

    public PubSubSourceStatus Status => new(1, rows - Done, 0, rows, Done, 0, null, null);

    /// <summary>Rows the pipeline reported written (the acks a Pub/Sub source would send).</summary>
    public long Done => Interlocked.Read(ref _done);

    /// <summary><see cref="Done"/> when <see cref="CloseAsync"/> was called; -1 if it never was.</summary>
    public long DoneAtClose => Interlocked.Read(ref _doneAtClose);

    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Called as <see cref="CloseAsync"/> begins, e.g. to see what the host reports then.</summary>
    public Action? Closing { get; set; }

    public FeatureSetOptions FeatureSet(string table) => _rows.FeatureSet(table);

    public LatencySummary TakeFreshnessSummary() => new(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        await _rows.RunAsync(target, cancellationToken);
        if (failAfterSending)
        {
            throw new InvalidOperationException("the subscription was deleted");
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public void Complete(IReadOnlyList<SourceRange> ranges)
    {
        foreach (SourceRange range in ranges)
        {
            Interlocked.Add(ref _done, range.Count);
        }
    }

    public Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Closing?.Invoke();
        Interlocked.CompareExchange(ref _doneAtClose, Done, -1);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
