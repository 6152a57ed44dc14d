using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.LoadTesting;

/// <summary>
/// A load profile as perf engineers write it in <c>perf/profiles/</c>: what to drive, how hard over time, which keys,
/// how big the rows are, and how the keys are laid out. Loaded and validated by <see cref="LoadProfileLoader"/>.
/// </summary>
public sealed class LoadProfile
{
    /// <summary>A short name for reports and file names. Required.</summary>
    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public LoadTarget Target { get; set; } = LoadTarget.Synthetic;

    public LoadShape Shape { get; set; } = new();

    public LoadKeys Keys { get; set; } = new();

    public LoadRows Rows { get; set; } = new();

    public LoadRowKey RowKey { get; set; } = new();

    public LoadMeasure Measure { get; set; } = new();

    public LoadGate Gate { get; set; } = new();

    /// <summary>The read workload; required by target serve, optional for synthetic, bigquery and pubsub (a mixed run), null when none.</summary>
    public LoadReads? Reads { get; set; }
}

/// <summary>Where the load goes in.</summary>
public enum LoadTarget
{
    /// <summary>Batch: the synthetic generator, producing rows on the profile's schedule, straight into the pipeline.</summary>
    Synthetic,

    /// <summary>Batch: the built-in BigQuery Storage emulator serving the rows, read through the Storage Read API, paced chunk by chunk.</summary>
    BigQuery,

    /// <summary>Streaming: rows published to a Pub/Sub topic at the profile's rate, read by the Pub/Sub source.</summary>
    PubSub,

    /// <summary>
    /// Streaming, out of process: rows published at the profile's rate to the topic of an already running
    /// <c>streamingfeatures ingest</c> service, measured by scraping its Prometheus metrics.
    /// </summary>
    Ingest,

    /// <summary>
    /// Reads: the feature reader in process, asked at the rate of the profile's <c>reads</c> section after the write
    /// phase (synthetic rows at <c>shape</c>) has loaded the table.
    /// </summary>
    Serve,
}

/// <summary>Which entities the rows belong to.</summary>
public sealed class LoadKeys
{
    public LoadKeyDistribution Distribution { get; set; } = LoadKeyDistribution.Uniform;

    /// <summary>Distinct entities (1 to 10^12). Default 1,000,000.</summary>
    public long KeySpace { get; set; } = 1_000_000;

    /// <summary>Zipf exponent s (above 0, at most 10). Default 1.1.</summary>
    public double ZipfExponent { get; set; } = 1.1;

    /// <summary>Share of rows (0 to 1) that go to the <see cref="HotKeys"/> hottest entities, on top of the distribution. Default 0.</summary>
    public double HotKeyShare { get; set; }

    /// <summary>How many hot entities share <see cref="HotKeyShare"/> (1 to the key space). Default 1.</summary>
    public long HotKeys { get; set; } = 1;

    /// <summary>A synthetic source drawing these keys: what writes and reads both draw from, so they meet.</summary>
    internal SyntheticSourceOptions SourceOptions(long rows) => new()
    {
        Rows = rows,
        Keys = Distribution switch
        {
            LoadKeyDistribution.Sequential => KeyDistribution.Sequential,
            LoadKeyDistribution.Zipf => KeyDistribution.Zipf,
            _ => KeyDistribution.Uniform,
        },
        KeySpace = KeySpace,
        ZipfExponent = ZipfExponent,
        HotKeyShare = HotKeyShare,
        HotKeys = HotKeys,
        Partitions = 1,
    };
}

public enum LoadKeyDistribution
{
    Sequential,
    Uniform,
    Zipf,
}

/// <summary>What each row carries.</summary>
public sealed class LoadRows
{
    /// <summary>Features per row (1 to 1,000). Default 8.</summary>
    public int Features { get; set; } = 8;

    /// <summary>Bytes of each string feature (0 for int64 features only, up to 1 MiB). Default 0.</summary>
    public int ValueBytes { get; set; }
}

/// <summary>The row-key strategy: whether keys get a hash-bucket prefix, the cure for sequential-key hotspots.</summary>
public sealed class LoadRowKey
{
    public bool BucketPrefix { get; set; } = true;

    /// <summary>Buckets (1 to 65,536). Default 64.</summary>
    public int Buckets { get; set; } = 64;
}

/// <summary>How the run is measured.</summary>
public sealed class LoadMeasure
{
    /// <summary>Length of one measured interval (100 ms to 1 min). Default 1 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Key ranges of the hotspot heatmap (1 to 1,024). Default 32.</summary>
    public int KeyRanges { get; set; } = 32;

    /// <summary>Where the key ranges come from. Default even splits of the profile's key space.</summary>
    public KeyRangeSource KeyRangeSource { get; set; } = KeyRangeSource.Even;

    /// <summary>After the last row is offered, how long the pipeline may take to finish (1 s to 10 min). Default 30 s.</summary>
    public TimeSpan Drain { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Intervals at the start left out of the summary figures (the JIT, the emulator warming up). Default 0.</summary>
    public TimeSpan Warmup { get; set; } = TimeSpan.Zero;
}

public enum KeyRangeSource
{
    /// <summary>N even splits of the key space the profile writes.</summary>
    Even,

    /// <summary>The table's own split points from SampleRowKeys (tablets), falling back to even splits when it has none.</summary>
    Sampled,
}

/// <summary>Regression limits when the run is compared against a baseline.</summary>
public sealed class LoadGate
{
    /// <summary>Largest accepted drop of achieved throughput, as a share of the baseline's (0 to 1). Default 0.10.</summary>
    public double MaxThroughputDrop { get; set; } = 0.10;

    /// <summary>Largest accepted rise of p99 latency, as a share of the baseline's (0 to 100). Default 0.25.</summary>
    public double MaxP99Rise { get; set; } = 0.25;
}
