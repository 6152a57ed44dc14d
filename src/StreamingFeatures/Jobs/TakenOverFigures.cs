namespace StreamingFeatures.Jobs;

/// <summary>A residual stream this shard took over from a straggler (work stealing), with the rows it read of it (all runs).</summary>
/// <param name="Stream">The residual stream's partition as the report names it.</param>
/// <param name="FromShard">The shard that split its stream and gave the residual away.</param>
/// <param name="FromStream">The partition of that shard's stream that was split.</param>
/// <param name="Rows">Rows read of the residual stream, all runs together.</param>
public sealed record TakenOverFigures(string Stream, int FromShard, int FromStream, long Rows);
