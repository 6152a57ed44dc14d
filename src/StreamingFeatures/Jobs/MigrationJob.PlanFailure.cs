using System.Globalization;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Jobs;

/// <summary>
/// The claim's holder failing to create the read session: it records why (not when killed), so the shards waiting
/// for its plan stop at once with its reason and exit class instead of polling until their deadline.
/// </summary>
public sealed partial class MigrationJob
{
    private string Me => string.Create(CultureInfo.InvariantCulture, $"shard {_options.ShardIndex} of {_options.ShardCount}");

    /// <returns>True for bad input (exit 2), false for a dependency that failed (exit 1), null for neither (a stop).</returns>
    private static bool? PlanFailure(Exception e) => e switch
    {
        BigQuerySourceException or ArgumentException or MigrationInputException => true,
        CallGaveUpException => false,
        _ => null,
    };

    private async Task RecordFailureAsync(IShardPlanStore store, Exception e, bool userError)
    {
        string reason = e.Message.ReplaceLineEndings(" ");
        try
        {
            await store.FailAsync(new ShardPlanFailure(Me, reason, userError, _time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
        }
        catch (CheckpointException failed)
        {
            _warn($"the other shards were not told this shard could not create the read session: {failed.Message}");
        }
    }

    /// <summary>What a waiting shard stops with: the holder's reason, in the holder's exit class.</summary>
    private static Exception HolderFailed(ShardPlanFailure failure)
    {
        string message = $"{failure.Shard} could not create the read session: {failure.Reason} Run {failure.Shard} again once that is fixed (it tries again), then this shard.";
        return failure.UserError
            ? new MigrationInputException(message)
            : new CheckpointException(message, new CallGaveUpException(message));
    }
}
