using System.Globalization;
using System.Threading.Channels;
using Google.Cloud.PubSub.V1;
using Grpc.Core;
using Polly;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// Pub/Sub events as source rows, over StreamingPull: one JSON event per message (fields, then attributes, by the
/// feature set's column names). Each stream is a partition whose offsets number its messages in arrival order. A
/// message is acked only when the pipeline reports its row done (<see cref="IRowCompletion"/>); leases are extended
/// while it waits; poison messages go to the dead-letter topic and are then acked (nacked if that publish fails).
/// </summary>
/// <remarks>
/// Usage: create, pass as the pipeline's source and as its <c>completion</c>, use <see cref="DeadLetters"/> as the
/// pipeline's dead-letter sink, run the pipeline (a stop request stops pulling), then <see cref="CloseAsync"/> to
/// send the last acks and nack what was not written.
/// Offsets count every message a stream receives, poison ones too (those never reach the graph, so a chunk ends
/// before a poison message and the next starts after it). Every message gets a receipt modack, as in Google's
/// clients; on an exactly-once subscription a message is delivered only once its receipt succeeded, and one whose
/// ack id Pub/Sub refused there is dropped before it gets an offset (it comes back). Flow control is shared: at most
/// <see cref="PubSubSourceOptions.MaxOutstandingMessages"/> and <see cref="PubSubSourceOptions.MaxOutstandingBytes"/>
/// are held from receipt until acked or nacked; pulling waits for room.
/// </remarks>
public sealed partial class PubSubSource : IRowSource, IRowCompletion, IAsyncDisposable
{
    private readonly PubSubSourceOptions _options;
    private readonly Subscriber.SubscriberClient _subscriber;
    private readonly EventSchema _events;
    private readonly TimeProvider _time;
    private readonly FlowBudget _budget;
    private readonly LeaseTable _leases;
    private readonly PubSubMetrics _metrics;
    private readonly FreshnessRecorder _freshness = new();
    private readonly AckSender _acks;
    private readonly DeadLetterPublisher? _publisher;
    private readonly SinkToTopic _deadLetters;
    private readonly Channel<PoisonMessage> _poison = Channel.CreateUnbounded<PoisonMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ResiliencePipeline _reconnect;
    private readonly long[] _nextOffset;
    private readonly string _clientId = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _pulling = new();
    private readonly CancellationTokenSource _leasing = new();
    private readonly CancellationTokenSource _background = new();
    private readonly Lock _errorLock = new();
    private Task _ackLoop = Task.CompletedTask;
    private Task _leaseLoop = Task.CompletedTask;
    private Task _poisonLoop = Task.CompletedTask;
    private string? _lastError;
    private DateTimeOffset? _lastErrorTime;
    private int _started;
    private int _closed;
    private int _disposed;
    private int _connected;
    private long _received;

    private PubSubSource(CallInvoker pubSub, PubSubSourceOptions options, EventSchema events, PipelineMetrics metrics)
    {
        _options = options;
        _events = events;
        _time = options.TimeProvider;
        _subscriber = new Subscriber.SubscriberClient(pubSub);
        _budget = new FlowBudget(options.MaxOutstandingMessages, options.MaxOutstandingBytes);
        _leases = new LeaseTable(options.StreamCount);
        _nextOffset = new long[options.StreamCount];
        _metrics = new PubSubMetrics(metrics.Meter, options.Subscription, _budget);
        _acks = new AckSender(_subscriber, options.Subscription, _time, _metrics, _freshness, Report);
        _publisher = options.DeadLetterTopic is { } topic
            ? new DeadLetterPublisher(new Publisher.PublisherClient(pubSub), topic, options.Subscription, _time)
            : null;
        _deadLetters = new SinkToTopic(this);
        _reconnect = BuildReconnect();
        Schema = events.Schema;
        Description = string.Create(CultureInfo.InvariantCulture, $"pubsub({options.Subscription}, {options.StreamCount} streams)");
    }

    public SourceSchema Schema { get; }

    public string Description { get; }

    public long? ExpectedRows => null;

    /// <summary>Dead letters of this source's rows: published to the dead-letter topic, then the message is acked.</summary>
    public IDeadLetterSink DeadLetters => _deadLetters;

    /// <summary>Where the source reports what goes wrong (stream breaks, refused acks, poison without a topic); default none.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>What the source is doing now, for readiness probes and logs.</summary>
    public PubSubSourceStatus Status
    {
        get
        {
            lock (_errorLock)
            {
                return new PubSubSourceStatus(
                    Volatile.Read(ref _connected),
                    _budget.Messages,
                    _budget.Bytes,
                    Interlocked.Read(ref _received),
                    _acks.Acked,
                    _acks.Nacked,
                    _lastError,
                    _lastErrorTime);
            }
        }
    }

    /// <summary>
    /// Publish time → row written (acked) of the messages acked since the last call; resets. The same latencies go
    /// to the <c>streamingfeatures.pubsub.freshness</c> histogram.
    /// </summary>
    public LatencySummary TakeFreshnessSummary() => _freshness.Take();

    /// <summary>
    /// Validates the options and derives the schema from the feature set (entity key, event time and feature
    /// columns, typed as the features are). Opens nothing yet.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid, every problem named.</exception>
    /// <exception cref="FeatureSetException">The feature set is invalid.</exception>
    public static PubSubSource Create(CallInvoker pubSub, PubSubSourceOptions options, FeatureSetOptions featureSet, PipelineMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(pubSub);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(featureSet);
        options.Validate();
        FeatureSetValidator.ThrowIfInvalid(featureSet);
        return new PubSubSource(pubSub, options, EventSchema.From(featureSet), metrics ?? new PipelineMetrics());
    }

    /// <summary>Records the last error for <see cref="Status"/> and passes it to <see cref="Log"/>.</summary>
    private void Report(string message)
    {
        lock (_errorLock)
        {
            _lastError = message;
            _lastErrorTime = _time.GetUtcNow();
        }

        Log?.Invoke(message);
    }

    /// <summary>Starts the ack, lease and dead-letter loops once, on the first run.</summary>
    private void StartBackground()
    {
        _ackLoop = Task.Run(() => _acks.RunAsync(_background.Token));
        _leaseLoop = Task.Run(() => LeaseLoopAsync(_leasing.Token));
        if (_publisher is not null)
        {
            _poisonLoop = Task.Run(() => DeadLetterLoopAsync(_background.Token));
        }
    }
}
