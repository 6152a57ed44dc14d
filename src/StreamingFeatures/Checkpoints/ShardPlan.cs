using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// The read session every shard of a migration shares: created once, by the first shard to start, and recorded in the
/// checkpoint store before any shard reads. Shard <c>i</c> of <see cref="ShardCount"/> reads the streams <c>j</c>
/// with <c>j mod ShardCount = i</c>; its own checkpoint keeps its offsets in them.
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
