using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// A migration's durable progress: what the job is (so a checkpoint is never applied to another job), the source's
/// pinned snapshot and read session, each partition's committed offset with what became of its rows, and the runs so
/// far. Written whole and atomically; a job killed at any instant restarts from the last one saved.
/// </summary>
public sealed record MigrationCheckpoint
{
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int Format { get; init; } = CurrentFormat;

    /// <summary>What defines the job (source, table, feature set digest, shard, verification); compared on resume.</summary>
    public IReadOnlyDictionary<string, string> Job { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Increases with every save; orders saves (and stamps the cell in a Bigtable store).</summary>
    public long Sequence { get; init; }

    /// <summary>
    /// The source snapshot every run reads (BigQuery); for other sources the first run's start. Event times are
    /// bounded against it (maxFutureSkew).
    /// </summary>
    public DateTimeOffset? SnapshotTime { get; init; }

    public ReadSessionCheckpoint? Session { get; init; }

    public IReadOnlyList<PartitionEntry> Partitions { get; init; } = [];

    /// <summary>Sessions this job read that expired, each replaced at the same snapshot; <see cref="Partitions"/> are the last one's.</summary>
    public IReadOnlyList<SessionRenewal> Renewals { get; init; } = [];

    /// <summary>Runs that have worked on this job, including the current one.</summary>
    public int Runs { get; init; }

    public double ElapsedSeconds { get; init; }

    public double CpuSeconds { get; init; }

    public long PeakWorkingSetBytes { get; init; }

    public IReadOnlyList<string> MissingKeys { get; init; } = [];

    public IReadOnlyList<string> ChangedKeys { get; init; } = [];

    /// <summary>Every source row is done: a rerun only reports.</summary>
    public bool Completed { get; init; }

    /// <summary>A Bigtable emulator this job started and may find still running after a kill (local mode).</summary>
    public OwnedEmulator? Emulator { get; init; }

    public DateTimeOffset SavedAt { get; init; }

    [JsonIgnore]
    public RowStats Totals => Partitions.Aggregate(default(RowStats), (sum, p) => sum + p.Stats);

    public IReadOnlyDictionary<int, PartitionCheckpoint> Committed() =>
        Partitions.ToDictionary(p => p.Partition, p => new PartitionCheckpoint(p.Offset, p.Stats));

    /// <param name="committed">The tracker's committed prefixes.</param>
    /// <param name="ends">Partitions the source read to their end, with their row counts: complete once committed that far.</param>
    public static IReadOnlyList<PartitionEntry> Entries(IReadOnlyDictionary<int, PartitionCheckpoint> committed, IReadOnlyDictionary<int, long>? ends = null) =>
        [.. committed.OrderBy(p => p.Key).Select(p => new PartitionEntry(
            p.Key,
            p.Value.Offset,
            p.Value.Stats,
            ends is not null && ends.TryGetValue(p.Key, out long end) && p.Value.Offset >= end))];

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <exception cref="CheckpointException">The text is not a checkpoint of this format.</exception>
    public static MigrationCheckpoint FromJson(string json, string where)
    {
        MigrationCheckpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize<MigrationCheckpoint>(json, s_json);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"The checkpoint {where} is not valid JSON ({e.Message}); move it away or start over with --restart.", e);
        }

        if (checkpoint is null || checkpoint.Format != CurrentFormat)
        {
            throw new CheckpointException($"The checkpoint {where} has format {checkpoint?.Format.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; this version reads format {CurrentFormat}.");
        }

        return checkpoint;
    }

    /// <summary>Settings of <paramref name="job"/> that differ from this checkpoint's, as "key: saved → now".</summary>
    public IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> job)
    {
        var differences = new List<string>();
        foreach (string key in Job.Keys.Union(job.Keys).Order(StringComparer.Ordinal))
        {
            string saved = Job.GetValueOrDefault(key) ?? "(none)";
            string now = job.GetValueOrDefault(key) ?? "(none)";
            if (saved != now)
            {
                differences.Add($"{key}: {saved} → {now}");
            }
        }

        return differences;
    }
}

/// <summary>A partition's committed offset and what became of its rows.</summary>
public sealed record PartitionEntry(int Partition, long Offset, RowStats Stats, bool Complete = false);

/// <summary>
/// A BigQuery read session, enough to go on reading its streams without creating it again: an Arrow session keeps its
/// IPC schema in <see cref="ArrowSchemaBase64"/>, an Avro session its JSON schema in <see cref="AvroSchema"/> (and an
/// empty ArrowSchemaBase64); checkpoints written before Avro existed have no AvroSchema and are Arrow.
/// </summary>
public sealed record ReadSessionCheckpoint(string Name, IReadOnlyList<string> Streams, string ArrowSchemaBase64, DateTimeOffset? ExpireTime, long EstimatedRowCount, string? AvroSchema = null, long EstimatedTotalBytesScanned = 0);

/// <summary>A Bigtable emulator process a local job started.</summary>
public sealed record OwnedEmulator(string Endpoint, int ProcessId);
