using Grpc.Core;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Jobs;

/// <summary>
/// A read session past its life is replaced by a new one at the same snapshot. Its streams split the table
/// differently, so no offset of the old session applies and no stream of it maps onto the new one: nothing can be
/// skipped, and this shard reads its share of the new session from the start (writes are idempotent, so the rows it
/// reads again write the same cells). Shards share the renewal through the plan: one records the next generation over
/// the old one's version, the others adopt it; shards done with the old generation read none of the new one.
/// </summary>
public sealed partial class MigrationJob
{
    /// <summary>Sessions a migration may create after expiries; a share that cannot be read within a session's life never ends.</summary>
    private const int MaxGenerations = 8;

    private CallInvoker? _bigQueryInvoker;
    private BigQuerySourceOptions? _bigQueryOptions;
    private bool _checkpointMoved;

    /// <summary>The expiry that stopped the graph, if that is what stopped it.</summary>
    private static BigQuerySessionExpiredException? Expiry(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is BigQuerySessionExpiredException expired)
            {
                return expired;
            }
        }

        return null;
    }

    /// <summary>The source over the plan's session: this shard's share of its generation (none when done before it).</summary>
    private BigQueryStorageSource SourceOf(CallInvoker invoker, BigQuerySourceOptions options, ShardPlan plan)
    {
        IReadOnlyList<int> readers = plan.ReaderShards;
        int at = readers.ToList().IndexOf(_options.ShardIndex);
        ReadSessionCheckpoint session = plan.Session;
        BigQuerySourceOptions mine = options with
        {
            ShardIndex = Math.Max(at, 0),
            ShardCount = Math.Max(readers.Count, 1),
            StartOffsets = _checkpointMoved ? null : options.StartOffsets,
            CompletedStreams = at < 0 ? Enumerable.Range(0, session.Streams.Count).ToHashSet() : _checkpointMoved ? null : options.CompletedStreams,
        };
        var info = new BigQueryReadSessionInfo(session.Name, plan.SnapshotTime, session.Streams, session.ExpireTime, session.EstimatedRowCount, session.EstimatedTotalBytesScanned);
        return session.AvroSchema is { } avroSchema
            ? BigQueryStorageSource.ResumeAvro(invoker, mine, info, avroSchema)
            : BigQueryStorageSource.Resume(invoker, mine, info, Google.Protobuf.ByteString.FromBase64(session.ArrowSchemaBase64));
    }

    /// <summary>This shard's checkpoint moves to <paramref name="session"/>: its offsets restart there.</summary>
    private void MoveCheckpoint(SessionRenewal renewal, ReadSessionCheckpoint session)
    {
        MigrationCheckpoint moved = Checkpoint ?? throw new InvalidOperationException("No checkpoint to move.");
        Checkpoint = moved with { Session = session, Partitions = [], Completed = false, Renewals = [.. moved.Renewals, renewal] };
        _checkpointMoved = true;
    }

    /// <summary>
    /// After <paramref name="last"/> was saved over the expired session: a new session (created here or adopted from
    /// the plan), the checkpoint moved to it, and a new graph over it.
    /// </summary>
    private async Task RenewAsync(MigrationCheckpoint last, DateTimeOffset? expiredAt, CancellationToken cancellationToken)
    {
        Checkpoint = last;
        BigQueryStorageSource old = _opened.BigQuery!;
        BigQuerySourceOptions options = _bigQueryOptions! with { StartOffsets = null, CompletedStreams = null };
        BigQueryStorageSource source;
        if (_planStore is { } store)
        {
            ShardPlan plan = await RenewPlanAsync(store, _plan!, expiredAt, cancellationToken).ConfigureAwait(false);
            SessionRenewal renewal = plan.Renewals.First(r => r.ExpiredSession == old.Session.Name);
            MoveCheckpoint(renewal with { NewSession = plan.Session.Name, RowsReadAgain = last.Totals.Read }, plan.Session);
            _plan = plan;
            source = SourceOf(_bigQueryInvoker!, options, plan);
        }
        else
        {
            if (last.Renewals.Count + 1 >= MaxGenerations)
            {
                throw new PipelineException($"The read session {old.Session.Name} expired, the {MaxGenerations}th of this migration: its share cannot be read within a session's life.");
            }

            source = await BigQueryStorageSource.OpenAsync(_bigQueryInvoker!, options with { SnapshotTime = old.Session.SnapshotTime ?? _snapshot }, cancellationToken).ConfigureAwait(false);
            var renewal = new SessionRenewal(last.Renewals.Count + 1, old.Session.Name, expiredAt ?? old.Session.ExpireTime, source.Session.Name, "the job", _time.GetUtcNow(), last.Totals.Read);
            MoveCheckpoint(renewal, SessionCheckpoint(source));
        }

        _warn($"the read session {old.Session.Name} expired; reading on in session {source.Session.Name} at the same snapshot, from the start of this shard's share ({last.Totals.Read} rows read of the expired session are read again).");
        _stealing = null;
        _opened.BigQuery = source;
        _opened.Source = source;
        _progress = new ProgressTracker();
        BuildPipeline();
    }
}
