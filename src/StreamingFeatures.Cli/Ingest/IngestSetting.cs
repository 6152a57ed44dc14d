namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// One setting of the ingest service: its key in the JSON file (<c>"AckDeadline"</c>), as an environment variable
/// (<c>STREAMINGFEATURES_ACKDEADLINE</c>) and as a flag (<c>--ack-deadline</c>). Flags win over the environment,
/// which wins over the file.
/// </summary>
internal sealed record IngestSetting(string Key, string Flag, string Description, bool IsSwitch = false)
{
    public const string EnvironmentPrefix = "STREAMINGFEATURES_";

    public string EnvironmentVariable => EnvironmentPrefix + Key.ToUpperInvariant();

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
    public static readonly IngestSetting Streams = new("Streams", "--streams", "StreamingPull streams, 1 to 32. Default 2.");
    public static readonly IngestSetting MaxOutstandingMessages = new("MaxOutstandingMessages", "--max-outstanding-messages", "Flow control: messages received and not yet acked, 1 to 1000000. Default 1000.");
    public static readonly IngestSetting MaxOutstandingBytes = new("MaxOutstandingBytes", "--max-outstanding-bytes", "Flow control: bytes of those messages, 1024 to 10737418240. Default 100000000.");
    public static readonly IngestSetting MaxRecordBytes = new("MaxRecordBytes", "--max-record-bytes", "A message whose data is longer goes to the dead-letter topic unparsed, 1024 to 104857600. Default 67108864.");
    public static readonly IngestSetting AckDeadline = new("AckDeadline", "--ack-deadline", "Ack deadline each lease asks for, 10s to 600s. Default 60s.");
    public static readonly IngestSetting MaxLeaseExtension = new("MaxLeaseExtension", "--max-lease-extension", "Longest a message is kept leased, from the ack deadline to 24h. Default 60m.");
    public static readonly IngestSetting BatchRows = new("BatchRows", "--batch-rows", "Rows per MutateRows request, 1 to 100000. Default 1000.");
    public static readonly IngestSetting BatchBytes = new("BatchBytes", "--batch-bytes", "Bytes per MutateRows request, 65536 to 209715200. Default 8388608.");
    public static readonly IngestSetting BatchLinger = new("BatchLinger", "--batch-linger", "How long a partial batch waits for more rows, 0ms to 10s. Default 50ms.");
    public static readonly IngestSetting WriteRequests = new("WriteRequests", "--write-requests", "MutateRows requests in flight, 1 to 256. Default 8.");
    public static readonly IngestSetting HttpPort = new("HttpPort", "--http-port", "Port of /healthz/live, /healthz/ready and /metrics, 0 to 65535 (0: any free port, printed). Default 8080.");
    public static readonly IngestSetting ShutdownTimeout = new("ShutdownTimeout", "--shutdown-timeout", "On SIGTERM or Ctrl+C: stop pulling, drain, ack what was written and nack the rest within this, 1s to 10m. Default 30s.");
    public static readonly IngestSetting SummaryInterval = new("SummaryInterval", "--summary-interval", "How often a summary line is logged, 1s to 1h. Default 1m.");
    public static readonly IngestSetting ProbeInterval = new("ProbeInterval", "--probe-interval", "How often readiness probes Bigtable, 1s to 5m. Default 10s.");
    public static readonly IngestSetting OtlpEndpoint = new("OtlpEndpoint", "--otlp-endpoint", "Also push metrics over OTLP to this http(s) endpoint. Default: OTEL_EXPORTER_OTLP_ENDPOINT when set, else none.");
    public static readonly IngestSetting PublishRate = new("PublishRate", "--publish-rate", "Local mode: publish this many synthetic events per second, 0 to 100000. Default 0.");
    public static readonly IngestSetting PublishKeys = new("PublishKeys", "--publish-keys", "Local mode: distinct entity keys of the synthetic events, 1 to 1000000000000. Default 10000.");
    public static readonly IngestSetting Duration = new("Duration", "--duration", "Stop by itself this long after ingestion started, 1s to 30d (demos, tests). Default: run until stopped.");

    public static IReadOnlyList<IngestSetting> All { get; } =
    [
        Project, Instance, AppProfile, Table, FeatureSet, Subscription, DeadLetterTopic, Topic, Local, NoCreate, Credentials,
        Streams, MaxOutstandingMessages, MaxOutstandingBytes, MaxRecordBytes, AckDeadline, MaxLeaseExtension,
        BatchRows, BatchBytes, BatchLinger, WriteRequests,
        HttpPort, ShutdownTimeout, SummaryInterval, ProbeInterval, OtlpEndpoint, PublishRate, PublishKeys, Duration,
    ];
}
