using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Jobs;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>A source whose status the test sets, standing in for Pub/Sub where the emulator cannot produce the fault.</summary>
internal sealed class FakeIngestSource : IIngestSource
{
    public PubSubSourceStatus Status { get; set; } = new(2, 0, 0, 0, 0, 0, null, null);

    public SourceSchema Schema { get; } = new([new SourceField("entity_id", ColumnType.String)]);

    public string Description => "fake";

    public long? ExpectedRows => null;

    public IDeadLetterSink DeadLetters { get; } = new CollectingDeadLetterSink();

    public int Closes { get; private set; }

    public LatencySummary Freshness { get; set; } = new(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public LatencySummary TakeFreshnessSummary() => Freshness;

    public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    public void Complete(IReadOnlyList<SourceRange> ranges)
    {
    }

    public Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Closes++;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
