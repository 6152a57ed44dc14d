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
    public const string Acked = "streamingfeatures_pubsub_acked_total";
    public const string Received = "streamingfeatures_pubsub_received_total";
    public const string Nacked = "streamingfeatures_pubsub_nacked_total";
    public const string Redelivered = "streamingfeatures_pubsub_redelivered_total";
    public const string Poison = "streamingfeatures_pubsub_poison_total";
    public const string Outstanding = "streamingfeatures_pubsub_outstanding_messages";
    public const string FreshnessHistogram = "streamingfeatures_pubsub_freshness_seconds";
    public const string QueueDepth = "streamingfeatures_queue_depth";
    public const string Retries = "streamingfeatures_write_retries_total";
    public const string CpuTime = "dotnet_process_cpu_time_seconds_total";
    public const string CpuCount = "dotnet_process_cpu_count";
    public const string WorkingSet = "dotnet_process_memory_working_set_bytes";
    public const string HeapSize = "dotnet_gc_last_collection_heap_size_bytes";

    /// <summary>The queue of <see cref="Queues"/> that holds the messages received and not yet acked or nacked.</summary>
    public const string OutstandingQueue = "pubsub outstanding";

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

    /// <exception cref="FormatException">A histogram bucket bound is not a number.</exception>
    public static ServiceSample From(PrometheusScrape scrape)
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
    public static double Increase(double earlier, double later) => later >= earlier ? later - earlier : later;
}
