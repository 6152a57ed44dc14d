using StreamingFeatures.Bigtable;
using StreamingFeatures.Jobs;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// The ingest service's settings, read from file, environment and flags by <see cref="Read"/> and checked there, every
/// problem named with its value, origin and allowed range. The pulling and writing settings bind straight onto the
/// engine's options; their defaults and ranges are the engine's.
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

    /// <summary>
    /// How the source pulls: streams, flow control, the longest message, the ack deadline and how long leases are kept.
    /// The subscription, dead-letter topic and lease renewal margin are filled in by <see cref="JobOptions"/>.
    /// </summary>
    public PubSubSourceOptions Source { get; init; } = new();

    public BatchingOptions Batching { get; init; } = new();

    public BigtableWriterOptions Writer { get; init; } = new();

    public int HttpPort { get; init; } = (int)IngestLimits.HttpPort.Default;

    public TimeSpan ShutdownTimeout { get; init; } = IngestLimits.ShutdownTimeout.Default;

    public TimeSpan SummaryInterval { get; init; } = IngestLimits.SummaryInterval.Default;

    public TimeSpan ProbeInterval { get; init; } = IngestLimits.ProbeInterval.Default;

    public Uri? OtlpEndpoint { get; init; }

    /// <summary>How logs are written; null: json when output is redirected, else simple.</summary>
    public Options.LogFormat? LogFormat { get; init; }

    public double PublishRate { get; init; } = IngestLimits.PublishRate.Default;

    public long PublishKeys { get; init; } = IngestLimits.PublishKeys.Default;

    public TimeSpan? Duration { get; init; }

    /// <summary>
    /// Of the shutdown timeout, three quarters let in-flight rows land; a fifth sends the last acks and the nacks; the
    /// rest is left for the host to close. Together they fit the grace period Kubernetes gives.
    /// </summary>
    public TimeSpan DrainTimeout => ShutdownTimeout * 0.75;

    public TimeSpan CloseTimeout => ShutdownTimeout * 0.2;

    /// <summary>Margin before a lease expires at which it is extended: a quarter of the deadline, 1 s to 15 s.</summary>
    public TimeSpan LeaseRenewalMargin => TimeSpan.FromTicks(Math.Clamp(Source.AckDeadline.Ticks / 4, TimeSpan.TicksPerSecond, 15 * TimeSpan.TicksPerSecond));

    /// <summary>The engine's options, as bound from the settings, with what follows from the names and the shutdown timeout.</summary>
    public IngestJobOptions JobOptions() => new()
    {
        Source = Source with { Subscription = Subscription, DeadLetterTopic = DeadLetterTopic, LeaseRenewalMargin = LeaseRenewalMargin },
        // A message is acked once MutateRows has made its cells durable. Reading rows back would double the reads,
        // and a newer event for the same entity landing meanwhile would read as "changed".
        Pipeline = new PipelineOptions { Batching = Batching, Writer = Writer, Verification = new VerificationOptions { Mode = VerificationMode.None }, DrainTimeout = DrainTimeout },
        Provisioning = NoCreate ? TableProvisioning.Forbid : TableProvisioning.Create,
        CloseTimeout = CloseTimeout,
    };
}
