namespace StreamingFeatures.LoadTesting.Service;

/// <summary>
/// What a load test reads from one scrape of the ingest service's <c>/metrics</c>: its Pub/Sub counters, gauges and
/// freshness histogram, the pipeline's queue depths and retries, and the process's CPU and memory. Series of every
/// subscription are summed. Names are as OpenTelemetry's Prometheus exporter exposes the instruments of
/// <c>PubSubMetrics</c>, <c>PipelineMetrics</c> and the <c>System.Runtime</c> meter (dots to underscores, the unit
/// and <c>_total</c> appended).
/// </summary>
public sealed record ServiceSample
{
    internal const string Acked = "streamingfeatures_pubsub_acked_total";
    internal const string Received = "streamingfeatures_pubsub_received_total";
    internal const string Nacked = "streamingfeatures_pubsub_nacked_total";
    internal const string Redelivered = "streamingfeatures_pubsub_redelivered_total";
    internal const string Poison = "streamingfeatures_pubsub_poison_total";
    internal const string Outstanding = "streamingfeatures_pubsub_outstanding_messages";
    internal const string FreshnessHistogram = "streamingfeatures_pubsub_freshness_seconds";
    internal const string QueueDepth = "streamingfeatures_queue_depth";
    internal const string Retries = "streamingfeatures_write_retries_total";
    internal const string CpuTime = "dotnet_process_cpu_time_seconds_total";
    internal const string CpuCount = "dotnet_process_cpu_count";
    internal const string WorkingSet = "dotnet_process_memory_working_set_bytes";
    internal const string HeapSize = "dotnet_gc_last_collection_heap_size_bytes";

    /// <summary>The queue of <see cref="Queues"/> that holds the messages received and not yet acked or nacked.</summary>
    internal const string OutstandingQueue = "pubsub outstanding";

    public required double AckedMessages { get; init; }

    public required double ReceivedMessages { get; init; }

    public required double NackedMessages { get; init; }

    public required double RedeliveredMessages { get; init; }

    public required double PoisonMessages { get; init; }

    public required double RetriedEntries { get; init; }

    /// <summary>Queue depth by pipeline block, and <see cref="OutstandingQueue"/>.</summary>
    public required IReadOnlyDictionary<string, long> Queues { get; init; }

    /// <summary>Publish time to acked, in seconds; null before the service acked anything.</summary>
    public BucketHistogram? Freshness { get; init; }

    /// <summary>Process CPU seconds (user and system), or null when the runtime metrics are not exposed.</summary>
    public double? CpuSeconds { get; init; }

    /// <summary>Processors the service's process may use, or null when not exposed.</summary>
    public int? Processors { get; init; }

    public long WorkingSetBytes { get; init; }

    public long ManagedHeapBytes { get; init; }

    /// <summary>Reads one scrape of <c>/metrics</c> in the Prometheus text format.</summary>
    /// <exception cref="FormatException">The text is not in the Prometheus text format, or a histogram bucket bound is not a number.</exception>
    public static ServiceSample Parse(string text) => From(PrometheusText.Parse(text));

    /// <exception cref="FormatException">A histogram bucket bound is not a number.</exception>
    internal static ServiceSample From(PrometheusScrape scrape)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        var queues = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach ((string block, double depth) in scrape.SumBy(QueueDepth, "block"))
        {
            queues[block] = (long)depth;
        }

        if (scrape.Has(Outstanding))
        {
            queues[OutstandingQueue] = (long)scrape.Sum(Outstanding);
        }

        return new ServiceSample
        {
            AckedMessages = scrape.Sum(Acked),
            ReceivedMessages = scrape.Sum(Received),
            NackedMessages = scrape.Sum(Nacked),
            RedeliveredMessages = scrape.Sum(Redelivered),
            PoisonMessages = scrape.Sum(Poison),
            RetriedEntries = scrape.Sum(Retries),
            Queues = queues,
            Freshness = scrape.Histogram(FreshnessHistogram),
            CpuSeconds = scrape.Has(CpuTime) ? scrape.Sum(CpuTime) : null,
            Processors = scrape.Has(CpuCount) ? (int)scrape.Sum(CpuCount) : null,
            WorkingSetBytes = (long)scrape.Sum(WorkingSet),
            ManagedHeapBytes = (long)scrape.Sum(HeapSize),
        };
    }

    /// <summary>A counter's increase from <paramref name="earlier"/> to <paramref name="later"/>; a counter that went down was reset, and all of it is new.</summary>
    internal static double Increase(double earlier, double later) => later >= earlier ? later - earlier : later;
}
