using System.Text.Json;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// The holder of a plan's creation claim could not create the read session: recorded beside the plan so the shards
/// waiting for it stop at once with the holder's reason and exit class, instead of polling until their deadline.
/// </summary>
/// <param name="Shard">The holder, e.g. "shard 0 of 4".</param>
/// <param name="Reason">Its one-line error.</param>
/// <param name="UserError">True when the holder stopped on bad input (exit 2), false on a dependency (exit 1).</param>
/// <param name="At">When it failed.</param>
internal sealed record ShardPlanFailure(string Shard, string Reason, bool UserError, DateTimeOffset At)
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <returns>The failure, or a dependency failure quoting the text when it does not parse (never lost).</returns>
    public static ShardPlanFailure FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ShardPlanFailure>(json, s_json) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            return new ShardPlanFailure("the holder", json.Trim(), UserError: false, DateTimeOffset.MinValue);
        }
    }
}
