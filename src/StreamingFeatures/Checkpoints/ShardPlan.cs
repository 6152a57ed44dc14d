using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// The read session every shard of a migration shares: created once, by the first shard to start, and recorded in the
/// checkpoint store before any shard reads. Shard <c>i</c> of <see cref="ShardCount"/> reads the streams <c>j</c>
/// with <c>j mod ShardCount = i</c>; its own checkpoint keeps its offsets in them. A session that expires is replaced
/// at the same snapshot by the next <see cref="Generation"/>, read by the shards not <see cref="Done"/> with the old
/// one (<see cref="Readers"/>). Every change is conditional on <see cref="Version"/>, so of shards changing it together
/// exactly one succeeds. Records kept per session (stream splits) key on <see cref="ReadSessionCheckpoint.Name"/>.
/// </summary>
internal sealed record ShardPlan
{
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int Format { get; init; } = CurrentFormat;

    /// <summary>What defines the job for every shard (source, table, feature-set digest, shard count, ...): compared by each shard.</summary>
    public IReadOnlyDictionary<string, string> Job { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public int ShardCount { get; init; }

    /// <summary>The shard that created the session, e.g. "shard 2 of 4".</summary>
    public string CreatedBy { get; init; } = "";

    /// <summary>The snapshot the session reads: the same rows for every shard.</summary>
    public DateTimeOffset? SnapshotTime { get; init; }

    /// <summary>The session: name, streams, expiry, and the schema its rows decode with.</summary>
    public required ReadSessionCheckpoint Session { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Increases with every change of the plan; a change applies only over the version it was made from.</summary>
    public long Version { get; init; }

    /// <summary>0 for the first session; one more for each session created after the one before expired.</summary>
    public int Generation { get; init; }

    /// <summary>
    /// The shards that read this generation's streams, stream <c>j</c> going to <c>Readers[j mod Readers.Count]</c>;
    /// null for every shard (<c>j mod ShardCount</c>). A shard done with an earlier generation reads none of a later one.
    /// </summary>
    public IReadOnlyList<int>? Readers { get; init; }

    /// <summary>Shards that finished every stream of this generation they read.</summary>
    public IReadOnlyList<int> Done { get; init; } = [];

    /// <summary>Earlier sessions, each replaced after it expired.</summary>
    public IReadOnlyList<SessionRenewal> Renewals { get; init; } = [];

    /// <summary>The shards reading this generation.</summary>
    public IReadOnlyList<int> ReaderShards => Readers ?? [.. Enumerable.Range(0, ShardCount)];

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <exception cref="CheckpointException">The text is not a plan of this format.</exception>
    public static ShardPlan FromJson(string json, string where)
    {
        ShardPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<ShardPlan>(json, s_json);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"The shard plan {where} is not valid JSON ({e.Message}).", e);
        }

        return plan is { Format: CurrentFormat }
            ? plan
            : throw new CheckpointException($"The shard plan {where} has format {plan?.Format.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; this version reads format {CurrentFormat}.");
    }
}
