using StreamingFeatures.Bigtable;
using StreamingFeatures.Jobs;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// The ingest service's settings, read from file, environment and flags by <see cref="Read"/> and checked there, every
/// problem named with its value, origin and allowed range. Defaults live here, once.
/// </summary>
internal sealed partial record IngestSettings
{
    /// <summary>The Pub/Sub project of local mode (the emulator accepts any).</summary>
    public const string LocalProject = "local";
    public const string LocalSubscription = "streamingfeatures-ingest";
    public const string LocalTopic = "streamingfeatures-events";
    public const string LocalDeadLetterTopic = "streamingfeatures-dead-letters";

    /// <summary>The subscription on the local dead-letter topic, so dead letters can be pulled and inspected.</summary>
    public const string LocalDeadLetterSubscription = "streamingfeatures-dead-letters-inspect";

    public string? Project { get; init; }

    public string? Instance { get; init; }

    public string? AppProfile { get; init; }

    public string? Table { get; init; }

    public string? FeatureSetFile { get; init; }

    /// <summary><c>projects/P/subscriptions/S</c>.</summary>
    public string Subscription { get; init; } = $"projects/{LocalProject}/subscriptions/{LocalSubscription}";

    /// <summary><c>projects/P/topics/T</c>, or null for none.</summary>
    public string? DeadLetterTopic { get; init; }

    /// <summary>Local mode: <c>projects/P/topics/T</c> the subscription is created on and the publisher writes to.</summary>
    public string Topic { get; init; } = $"projects/{LocalProject}/topics/{LocalTopic}";

    /// <summary>On emulators: asked for with <c>--local</c>, or no project named.</summary>
    public bool Local { get; init; } = true;

    public bool NoCreate { get; init; }

    public string? CredentialsFile { get; init; }

    public int Streams { get; init; } = 2;

    public long MaxOutstandingMessages { get; init; } = 1_000;

    public long MaxOutstandingBytes { get; init; } = 100_000_000;

    /// <summary>The longest message data; a longer message is dead-lettered unparsed.</summary>
    public int MaxRecordBytes { get; init; } = 64 << 20;

    public TimeSpan AckDeadline { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan MaxLeaseExtension { get; init; } = TimeSpan.FromMinutes(60);

    public int BatchRows { get; init; } = 1_000;

    public int BatchBytes { get; init; } = 8 * 1024 * 1024;

    public TimeSpan BatchLinger { get; init; } = TimeSpan.FromMilliseconds(50);

    public int WriteRequests { get; init; } = 8;

    public int HttpPort { get; init; } = 8080;

    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan SummaryInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(10);

    public Uri? OtlpEndpoint { get; init; }

    public double PublishRate { get; init; }

    public long PublishKeys { get; init; } = 10_000;

    public TimeSpan? Duration { get; init; }

    /// <summary>
    /// Of the shutdown timeout, three quarters let in-flight rows land; a fifth sends the last acks and the nacks; the
    /// rest is left for the host to close. Together they fit the grace period Kubernetes gives.
    /// </summary>
    public TimeSpan DrainTimeout => ShutdownTimeout * 0.75;

    public TimeSpan CloseTimeout => ShutdownTimeout * 0.2;

    /// <summary>Margin before a lease expires at which it is extended: a quarter of the deadline, 1 s to 15 s.</summary>
    public TimeSpan LeaseRenewalMargin => TimeSpan.FromTicks(Math.Clamp(AckDeadline.Ticks / 4, TimeSpan.TicksPerSecond, 15 * TimeSpan.TicksPerSecond));

    public PubSubSourceOptions SourceOptions() => new()
    {
        Subscription = Subscription,
        DeadLetterTopic = DeadLetterTopic,
        StreamCount = Streams,
        MaxOutstandingMessages = MaxOutstandingMessages,
        MaxOutstandingBytes = MaxOutstandingBytes,
        MaxMessageBytes = MaxRecordBytes,
        AckDeadline = AckDeadline,
        LeaseRenewalMargin = LeaseRenewalMargin,
        MaxTotalLeaseExtension = MaxLeaseExtension,
    };

    public IngestJobOptions JobOptions() => new()
    {
        Source = SourceOptions(),
        Pipeline = PipelineOptions(),
        Provisioning = NoCreate ? TableProvisioning.Forbid : TableProvisioning.Create,
        CloseTimeout = CloseTimeout,
    };

    public PipelineOptions PipelineOptions() => new()
    {
        Batching = new BatchingOptions { MaxRows = BatchRows, MaxBytes = BatchBytes, Linger = BatchLinger },
        Writer = new BigtableWriterOptions { MaxRequestsInFlight = WriteRequests },
        // A message is acked once MutateRows has made its cells durable. Reading rows back would double the reads,
        // and a newer event for the same entity landing meanwhile would read as "changed".
        Verification = new VerificationOptions { Mode = VerificationMode.None },
        DrainTimeout = DrainTimeout,
    };
}
