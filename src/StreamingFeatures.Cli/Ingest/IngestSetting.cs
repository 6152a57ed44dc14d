using System.Globalization;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// One setting of the ingest service: its key in the JSON file (<c>"AckDeadline"</c>), as an environment variable
/// (<c>STREAMINGFEATURES_ACKDEADLINE</c>) and as a flag (<c>--ack-deadline</c>). Flags win over the environment,
/// which wins over the file. A number or duration carries its default and range, the engine's where the limit is the
/// engine's; its help text and the messages about its value are written from them.
/// </summary>
internal sealed record IngestSetting(string Key, string Flag, string Description, bool IsSwitch = false)
{
    public const string EnvironmentPrefix = "STREAMINGFEATURES_";

    public string EnvironmentVariable => EnvironmentPrefix + Key.ToUpperInvariant();

    /// <summary>The default and range of a whole-number setting.</summary>
    public Limit<long>? WholeNumbers { get; private init; }

    /// <summary>The default and range of a number setting.</summary>
    public Limit<double>? Numbers { get; private init; }

    /// <summary>The default and range of a duration setting.</summary>
    public Limit<TimeSpan>? Durations { get; private init; }

    public static readonly IngestSetting Project = new("Project", "--project", "Google Cloud project of the subscription and the Bigtable instance. Without it the service runs locally on emulators.");
    public static readonly IngestSetting Instance = new("Instance", "--instance", "Bigtable instance id (required with --project).");
    public static readonly IngestSetting AppProfile = new("AppProfile", "--app-profile", "Bigtable app profile for the writes.");
    public static readonly IngestSetting Table = new("Table", "--table", "Bigtable table id; overrides the feature set's.");
    public static readonly IngestSetting FeatureSet = new("FeatureSet", "--feature-set", "The feature set (JSON or YAML). Default in local mode: the sample feature set (entity_id, event_time, f0..f7 int64).");
    public static readonly IngestSetting Subscription = new("Subscription", "--subscription", "The subscription to pull: projects/P/subscriptions/S, or S in --project (required with --project; local default streamingfeatures-ingest).");
    public static readonly IngestSetting DeadLetterTopic = new("DeadLetterTopic", "--dead-letter-topic", "Topic for poison messages: projects/P/topics/T, or T in --project. Without it they are nacked (local default streamingfeatures-dead-letters).");
    public static readonly IngestSetting Topic = new("Topic", "--topic", "Local mode: the topic the subscription reads and --publish-rate publishes to (default streamingfeatures-events).");
    public static readonly IngestSetting Local = new("Local", "--local", "Run on local emulators (the default when no --project is given); honours PUBSUB_EMULATOR_HOST and BIGTABLE_EMULATOR_HOST.", IsSwitch: true);
    public static readonly IngestSetting NoCreate = new("NoCreate", "--no-create", "Refuse to create the table or its column families.", IsSwitch: true);
    public static readonly IngestSetting Credentials = new("Credentials", "--credentials", "A service-account key file. Default: Application Default Credentials.");
    public static readonly IngestSetting Streams = Whole("Streams", "--streams", "StreamingPull streams", PubSubSourceLimits.StreamCount);
    public static readonly IngestSetting MaxOutstandingMessages = Whole("MaxOutstandingMessages", "--max-outstanding-messages", "Flow control: messages received and not yet acked", PubSubSourceLimits.MaxOutstandingMessages);
    public static readonly IngestSetting MaxOutstandingBytes = Whole("MaxOutstandingBytes", "--max-outstanding-bytes", "Flow control: bytes of those messages", PubSubSourceLimits.MaxOutstandingBytes);
    public static readonly IngestSetting MaxRecordBytes = Whole("MaxRecordBytes", "--max-record-bytes", "A message whose data is longer goes to the dead-letter topic unparsed", PubSubSourceLimits.MaxMessageBytes);
    public static readonly IngestSetting AckDeadline = Timed("AckDeadline", "--ack-deadline", "Ack deadline each lease asks for", PubSubSourceLimits.AckDeadline);
    public static readonly IngestSetting MaxLeaseExtension = new("MaxLeaseExtension", "--max-lease-extension", $"Longest a message is kept leased, from the ack deadline to {Show(PubSubSourceLimits.MaxTotalLeaseExtension.Max)}. Default {Show(PubSubSourceLimits.MaxTotalLeaseExtension.Default)}.") { Durations = PubSubSourceLimits.MaxTotalLeaseExtension };
    public static readonly IngestSetting BatchRows = Whole("BatchRows", "--batch-rows", "Rows per MutateRows request", BatchingLimits.MaxRows);
    public static readonly IngestSetting BatchBytes = Whole("BatchBytes", "--batch-bytes", "Bytes per MutateRows request", BatchingLimits.MaxBytes);
    public static readonly IngestSetting BatchLinger = Timed("BatchLinger", "--batch-linger", "How long a partial batch waits for more rows", BatchingLimits.Linger);
    public static readonly IngestSetting WriteRequests = Whole("WriteRequests", "--write-requests", "MutateRows requests in flight", BigtableWriterLimits.MaxRequestsInFlight);
    public static readonly IngestSetting HttpPort = Whole("HttpPort", "--http-port", "Port of /healthz/live, /healthz/ready and /metrics", IngestLimits.HttpPort, " (0: any free port, printed)");
    public static readonly IngestSetting ShutdownTimeout = Timed("ShutdownTimeout", "--shutdown-timeout", "On SIGTERM or Ctrl+C: stop pulling, drain, ack what was written and nack the rest within this", IngestLimits.ShutdownTimeout);
    public static readonly IngestSetting SummaryInterval = Timed("SummaryInterval", "--summary-interval", "How often a summary line is logged", IngestLimits.SummaryInterval);
    public static readonly IngestSetting ProbeInterval = Timed("ProbeInterval", "--probe-interval", "How often readiness probes Bigtable", IngestLimits.ProbeInterval);
    public static readonly IngestSetting LogFormat = new("LogFormat", "--log-format", "How logs are written: simple (readable lines; the default on a terminal) or json (one JSON object per line; the default when output is redirected, as in a container).");
    public static readonly IngestSetting OtlpEndpoint = new("OtlpEndpoint", "--otlp-endpoint", "Also push metrics over OTLP to this http(s) endpoint. Default: OTEL_EXPORTER_OTLP_ENDPOINT when set, else none.");
    public static readonly IngestSetting PublishRate = new("PublishRate", "--publish-rate", Invariant($"Local mode: publish this many synthetic events per second, {IngestLimits.PublishRate.Min} to {IngestLimits.PublishRate.Max}. Default {IngestLimits.PublishRate.Default}.")) { Numbers = IngestLimits.PublishRate };
    public static readonly IngestSetting PublishKeys = Whole("PublishKeys", "--publish-keys", "Local mode: distinct entity keys of the synthetic events", IngestLimits.PublishKeys);
    public static readonly IngestSetting Duration = new("Duration", "--duration", $"Stop by itself this long after ingestion started, {Show(IngestLimits.Duration.Min)} to {Show(IngestLimits.Duration.Max)} (demos, tests). Default: run until stopped.") { Durations = IngestLimits.Duration };

    public static IReadOnlyList<IngestSetting> All { get; } =
    [
        Project, Instance, AppProfile, Table, FeatureSet, Subscription, DeadLetterTopic, Topic, Local, NoCreate, Credentials,
        Streams, MaxOutstandingMessages, MaxOutstandingBytes, MaxRecordBytes, AckDeadline, MaxLeaseExtension,
        BatchRows, BatchBytes, BatchLinger, WriteRequests,
        HttpPort, ShutdownTimeout, SummaryInterval, ProbeInterval, LogFormat, OtlpEndpoint, PublishRate, PublishKeys, Duration,
    ];

    private static IngestSetting Whole(string key, string flag, string purpose, Limit<long> limit, string note = "") =>
        new(key, flag, Invariant($"{purpose}, {limit.Min} to {limit.Max}{note}. Default {limit.Default}.")) { WholeNumbers = limit };

    private static IngestSetting Whole(string key, string flag, string purpose, Limit<int> limit) =>
        Whole(key, flag, purpose, new Limit<long>(limit.Default, limit.Min, limit.Max));

    private static IngestSetting Timed(string key, string flag, string purpose, Limit<TimeSpan> limit) =>
        new(key, flag, $"{purpose}, {Show(limit.Min)} to {Show(limit.Max)}. Default {Show(limit.Default)}.") { Durations = limit };

    private static string Show(TimeSpan value) => DurationText.Format(value);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
