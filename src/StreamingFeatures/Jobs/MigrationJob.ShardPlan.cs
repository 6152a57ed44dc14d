using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Grpc.Core;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Jobs;

/// <summary>
/// Shards of a BigQuery migration share one read session: the first shard to start claims its creation in the
/// checkpoint store, creates it and records the plan; the others wait for the plan and read their streams of it.
/// </summary>
public sealed partial class MigrationJob
{
    private static readonly TimeSpan s_planPoll = TimeSpan.FromMilliseconds(250);
    private IShardPlanStore? _planStore;
    private ShardPlan? _plan;

    /// <summary>Where the shards' plan is kept, for messages; null for an unsharded job.</summary>
    public string? ShardPlanDescription { get; private set; }

    /// <summary>What every shard of this migration has in common: its identity without the shard index, with the count.</summary>
    private SortedDictionary<string, string> PlanIdentity()
    {
        var job = new SortedDictionary<string, string>((IDictionary<string, string>)Identity.Identity, StringComparer.Ordinal);
        job.Remove("shard");
        job["shards"] = _options.ShardCount.ToString(CultureInfo.InvariantCulture);
        return job;
    }

    private string PlanId()
    {
        SortedDictionary<string, string> job = PlanIdentity();
        string digest = Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(string.Join('\n', job.Select(p => p.Key + "=" + p.Value)))));
        string table = new([.. _options.FeatureSet.Table.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return string.Create(CultureInfo.InvariantCulture, $"{table}-{_options.ShardCount}shards-{digest[..8]}-plan");
    }

    /// <summary>A store every shard reaches: a Bigtable checkpoint table, or a file beside a named checkpoint file.</summary>
    private IShardPlanStore? PlanStore() => CheckpointSpec switch
    {
        CheckpointStoreSpec.Bigtable { TableId: var tableId } => new BigtableShardPlanStore(Connected.Target(tableId), Connected.Admin, PlanId(), Retry(CallRetryOptions.Checkpoint)),
        CheckpointStoreSpec.File { Path: var path } when _options.Checkpoint is not null
            => new FileShardPlanStore(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, PlanId() + ".plan")),
        _ => null,
    };

    /// <summary>This shard's source over the shared session: created here when this shard is the first, else read from the plan.</summary>
    /// <exception cref="MigrationInputException">No shared store, the plan is another migration's or another session's, or its holder failed on bad input.</exception>
    private async Task<BigQueryStorageSource> SharedSessionAsync(CallInvoker invoker, BigQuerySourceOptions options, CancellationToken cancellationToken)
    {
        IShardPlanStore store = PlanStore() ?? throw new MigrationInputException(
            "Shards of a BigQuery migration share one read session, recorded where every shard reaches it: name --checkpoint bigtable:TABLE, or a file on a volume every shard mounts.");
        ShardPlanDescription = store.Description;
        _planStore = store;
        string me = Me;
        ShardPlan? plan = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (plan is null && _options.DryRun)
        {
            return await BigQueryStorageSource.OpenAsync(invoker, options, cancellationToken).ConfigureAwait(false);
        }

        if (plan is null)
        {
            // What can be refused without a session is refused before claiming one: nothing is created to be refused.
            options.Validate();
            if (Checkpoint?.Session is { } saved)
            {
                throw new MigrationInputException($"This shard's checkpoint {_store?.Description} reads session {saved.Name}, but no shards' plan is recorded in {store.Description}: its offsets apply to no session the shards share. Start this shard over with --restart.");
            }

            // A holder equal to this shard is this shard's earlier run, killed (or failed) before it recorded the plan: create it again.
            string holder = await store.ClaimAsync(me, cancellationToken).ConfigureAwait(false);
            plan = holder == me
                ? await CreatePlanAsync(store, invoker, options, cancellationToken).ConfigureAwait(false)
                : await WaitForPlanAsync(store, holder, cancellationToken).ConfigureAwait(false);
        }

        CheckPlan(plan, store);
        if (plan.Session.ExpireTime <= _time.GetUtcNow() && !FinishedEarlier && !plan.Done.Contains(_options.ShardIndex) && !_options.DryRun)
        {
            plan = await RenewPlanAsync(store, plan, plan.Session.ExpireTime, cancellationToken).ConfigureAwait(false);
        }

        if (Checkpoint?.Session is { } mine && mine.Name != plan.Session.Name)
        {
            // This shard's earlier run read a session that has expired since: its offsets restart in the new one.
            MoveCheckpoint(plan.Renewals.First(r => r.ExpiredSession == mine.Name) with { NewSession = plan.Session.Name, RowsReadAgain = Checkpoint.Totals.Read }, plan.Session);
        }

        _plan = plan;
        return SourceOf(invoker, options, plan);
    }

    /// <summary>Creates the session and records the plan; a failure is recorded for the shards waiting on this one.</summary>
    private async Task<ShardPlan> CreatePlanAsync(IShardPlanStore store, CallInvoker invoker, BigQuerySourceOptions options, CancellationToken cancellationToken)
    {
        await store.ClearFailureAsync(cancellationToken).ConfigureAwait(false);
        BigQueryStorageSource created;
        try
        {
            created = await BigQueryStorageSource.OpenAsync(invoker, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PlanFailure(e) is { } userError)
        {
            await RecordFailureAsync(store, e, userError).ConfigureAwait(false);
            throw;
        }

        var plan = new ShardPlan
        {
            Job = PlanIdentity(),
            ShardCount = _options.ShardCount,
            CreatedBy = Me,
            SnapshotTime = created.Session.SnapshotTime,
            Session = SessionCheckpoint(created),
            CreatedAt = _time.GetUtcNow(),
        };

        // Should the same shard have started twice and the other one recorded first: its session, never a second one.
        return await store.SaveAsync(plan, cancellationToken).ConfigureAwait(false);
    }

    private void CheckPlan(ShardPlan plan, IShardPlanStore store)
    {
        IReadOnlyList<string> differences = new MigrationCheckpoint { Job = plan.Job }.Differences(PlanIdentity());
        if (differences.Count > 0)
        {
            throw new MigrationInputException($"The shard plan {store.Description} belongs to another migration ({string.Join("; ", differences)}); every shard must run the same migration with the same --shard-count.");
        }

        if (Checkpoint?.Session is { } saved && saved.Name != plan.Session.Name && !plan.Renewals.Any(r => r.ExpiredSession == saved.Name))
        {
            throw new MigrationInputException($"This shard's checkpoint {_store?.Description} reads session {saved.Name}, but the shards' plan {store.Description} names {plan.Session.Name}: its offsets do not apply. Start this shard over with --restart.");
        }
    }

    /// <summary>Polls for the plan the holder of the claim is creating, for as long as a call may retry.</summary>
    private async Task<ShardPlan> WaitForPlanAsync(IShardPlanStore store, string holder, CancellationToken cancellationToken)
    {
        TimeSpan wait = _options.RetryDeadline ?? BigQuerySourceLimits.RetryDeadline.Default;
        long started = _time.GetTimestamp();
        while (true)
        {
            await Task.Delay(s_planPoll, _time, cancellationToken).ConfigureAwait(false);
            if (await store.LoadAsync(cancellationToken).ConfigureAwait(false) is { } plan)
            {
                return plan;
            }

            if (await store.LoadFailureAsync(cancellationToken).ConfigureAwait(false) is { } failure)
            {
                throw HolderFailed(failure);
            }

            if (_time.GetElapsedTime(started) >= wait)
            {
                string message = string.Create(CultureInfo.InvariantCulture, $"No shard plan in {store.Description} after waiting {wait.TotalSeconds:0} s: {holder} claimed the read session's creation and has not recorded it. Run {holder} again (it creates the session again), then this shard.");
                throw new CheckpointException(message, new CallGaveUpException(message));
            }
        }
    }

    private static ReadSessionCheckpoint SessionCheckpoint(BigQueryStorageSource source) =>
        new(source.Session.Name, source.Session.Streams, Convert.ToBase64String(source.ArrowSchema.Span), source.Session.ExpireTime, source.Session.EstimatedRowCount, source.AvroSchema, source.Session.EstimatedTotalBytesScanned);
}
