using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// One entry of a shared session's split log, kept beside the shards' plan at a unique index: either a split (shard
/// <see cref="Owner"/> split its stream of <see cref="Partition"/> with SplitReadStream, goes on reading
/// <see cref="Primary"/> from its offset, and gave <see cref="Residual"/> to shard <see cref="Taker"/> as partition
/// <see cref="ResidualPartition"/>), a hand-over (no primary: the owner had not started reading the partition and gave
/// its whole stream away, so nothing it had read ahead is served again), or a close (shard <see cref="Taker"/> stopped waiting for work: no split may
/// answer its request any more). Entries of another session do not apply.
/// </summary>
internal sealed record StreamSplit
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The read session the streams belong to.</summary>
    public required string Session { get; init; }

    /// <summary>The shard given the residual stream, or the shard that closed its request.</summary>
    public int Taker { get; init; }

    /// <summary>The shard that split one of its streams; null for a close.</summary>
    public int? Owner { get; init; }

    /// <summary>The owner's partition whose stream was split (its offsets carry over to the primary).</summary>
    public int Partition { get; init; }

    public string? Original { get; init; }

    /// <summary>The head the owner goes on reading; null for a hand-over (the owner reads nothing of the partition) or a close.</summary>
    public string? Primary { get; init; }

    /// <summary>The tail of the original from the split point; null for a close.</summary>
    public string? Residual { get; init; }

    /// <summary>The taker's partition for the residual: the session's stream count plus the entry's index.</summary>
    public int ResidualPartition { get; init; }

    /// <summary>The owner's offset in the original when it split (rows before it are the owner's).</summary>
    public long OwnerOffset { get; init; }

    public DateTimeOffset At { get; init; }

    [JsonIgnore]
    public bool IsClose => Residual is null;

    /// <summary>The owner gave an unstarted partition's whole stream away instead of splitting one it was reading.</summary>
    [JsonIgnore]
    public bool IsHandOver => Residual is not null && Primary is null;

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <exception cref="CheckpointException">The text is not a split entry.</exception>
    public static StreamSplit FromJson(string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<StreamSplit>(json, s_json) ?? throw new CheckpointException($"The split entry {where} is empty.");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"The split entry {where} is not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>A shard's request for work: it has read all its streams and had seen <paramref name="Seen"/> entries.</summary>
    internal sealed record Want(string Session, int Seen)
    {
        public string ToText() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Seen} {Session}");

        public static Want? Parse(string text)
        {
            int space = text.IndexOf(' ', StringComparison.Ordinal);
            return space > 0 && int.TryParse(text.AsSpan(0, space), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int seen)
                ? new Want(text[(space + 1)..], seen)
                : null;
        }
    }
}
