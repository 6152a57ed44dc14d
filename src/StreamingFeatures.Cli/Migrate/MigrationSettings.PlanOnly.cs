namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// <c>--plan-only</c>: an orchestrator (infra/airflow) creates the shards' shared read session once, before it starts
/// the shards, so the session's creation and its failures belong to one step and not to whichever shard starts first.
/// </summary>
internal sealed partial record MigrationSettings
{
    private IEnumerable<string> PlanOnlyProblems()
    {
        // With --dry-run too, the dry run wins: everything is checked and no session is recorded.
        if (!PlanOnly)
        {
            yield break;
        }

        if (SourceKind is not SourceKind.BigQuery)
        {
            yield return $"--plan-only is given with --source {Source}; it applies to a bigquery:TABLE source only, whose shards share one read session.";
        }
        else if (ShardCount <= 1)
        {
            // With --shard-count 1 nothing is shared: the job's own checkpoint keeps its session.
            yield return $"--plan-only is given with --shard-count {ShardCount}; allowed: 2 or more, the shards that will read the recorded session.";
        }
    }
}
