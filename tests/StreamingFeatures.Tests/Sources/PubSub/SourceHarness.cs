using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Tasks.Dataflow;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Tests.Sources.PubSub;

/// <summary>
/// A Pub/Sub source on a <see cref="FakePubSub"/>, run into a block standing for the graph, with its metrics
/// listened to and its log kept. Disposing stops and closes it. With <c>arrived</c>, the graph tells of each chunk as it
/// reaches it.
/// </summary>
internal sealed class SourceHarness : IAsyncDisposable
{
    public const string Subscription = "projects/p/subscriptions/s";
    public const string DeadLetterTopic = "projects/p/topics/dead";

    private readonly CancellationTokenSource _stop = new();
    private readonly PipelineMetrics _metrics = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();
    private readonly List<SourceChunk> _chunks = [];

    public SourceHarness(FakePubSub fake, PubSubSourceOptions options, ITargetBlock<SourceChunk>? graph = null, Action<SourceChunk>? arrived = null)
    {
        Fake = fake;
        Graph = graph ?? (arrived is null ? new BufferBlock<SourceChunk>() : new RoomTarget(int.MaxValue, arrived));
        Source = PubSubSource.Create(fake, options, TestEvents.FeatureSet(), _metrics);
        Source.Log = line => Log.Enqueue(line);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == _metrics.Meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = instrument.Name;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key != "subscription")
                {
                    key += $"{{{tag.Key}={tag.Value}}}";
                }
            }

            _counters.AddOrUpdate(key, value, (_, sum) => sum + value);
            if (key != instrument.Name)
            {
                _counters.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            }
        });
        _listener.Start();
    }

    public FakePubSub Fake { get; }

    public ITargetBlock<SourceChunk> Graph { get; }

    public PubSubSource Source { get; }

    public ConcurrentQueue<string> Log { get; } = new();

    public Task Run { get; private set; } = Task.CompletedTask;

    public static PubSubSourceOptions Options(TimeProvider time, int streams = 1) => new()
    {
        Subscription = Subscription,
        StreamCount = streams,
        TimeProvider = time,
        AckDeadline = TimeSpan.FromSeconds(10),
        LeaseRenewalMargin = TimeSpan.FromSeconds(2),
        MaxTotalLeaseExtension = TimeSpan.FromSeconds(30),
        InitialReconnectBackoff = TimeSpan.FromMilliseconds(10),
        MaxReconnectBackoff = TimeSpan.FromMilliseconds(50),
    };

    public SourceHarness Start()
    {
        Run = Source.RunAsync(Graph, _stop.Token);
        return this;
    }

    public Task StopAsync() => _stop.CancelAsync();

    /// <summary>Sum of a counter (by name, or <c>name{tag=value}</c>).</summary>
    public long Counter(string key)
    {
        _listener.RecordObservableInstruments();
        return _counters.GetValueOrDefault(key);
    }

    /// <summary>Chunks the graph holds (a BufferBlock or a RoomTarget), in arrival order; taken out once, kept here.</summary>
    public List<SourceChunk> Chunks()
    {
        if (Graph is BufferBlock<SourceChunk> buffer && buffer.TryReceiveAll(out IList<SourceChunk>? more))
        {
            _chunks.AddRange(more);
        }
        else if (Graph is RoomTarget room)
        {
            _chunks.AddRange(room.TakeAll());
        }

        return _chunks;
    }

    public int Rows() => Chunks().Sum(c => c.RowCount);

    /// <summary>Tells the source the rows of the given chunks are done, as the pipeline would.</summary>
    public void Complete(IEnumerable<SourceChunk> chunks) =>
        Source.Complete([.. chunks.Select(c => new SourceRange(c.Partition, c.FirstOffset, c.FirstOffset + c.RowCount, default))]);

    public static async Task Eventually(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        long start = Environment.TickCount64;
        while (!condition())
        {
            if (Environment.TickCount64 - start > timeoutMs)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (PubSubSourceException)
        {
        }

        await Source.DisposeAsync();
        _listener.Dispose();
        _metrics.Dispose();
        _stop.Dispose();
    }
}
