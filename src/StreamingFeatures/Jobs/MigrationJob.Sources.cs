using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Jobs;

/// <summary>The source, opened where the last run stopped: offsets resumed, a BigQuery read session restored.</summary>
public sealed partial class MigrationJob
{
    private IReadOnlyList<string>? _fileNames;

    private async Task OpenSourceAsync(CallInvoker? bigQueryEndpoint, IDeadLetterSink rejections, CancellationToken cancellationToken)
    {
        Dictionary<int, long> offsets = _progress!.Snapshot().Committed.ToDictionary(p => p.Key, p => p.Value.Offset);
        switch (_options.Source)
        {
            case MigrationSource.Synthetic synthetic:
                _opened.Source = Resuming(new SyntheticSource(new SyntheticSourceOptions { Rows = synthetic.Rows, Features = synthetic.Features }), offsets);
                break;
            case MigrationSource.Files files:
                _opened.Source = Resuming(await FileSources.OpenAsync(files, _options.FeatureSet, rejections, cancellationToken).ConfigureAwait(false), offsets);
                break;
            case MigrationSource.Sample:
                // The host serves the sample the way a real migration reads BigQuery: sessions, streams, Arrow
                // batches. Its sessions end with the host, but its data and stream split are deterministic, so a
                // resumed run creates the session again on the same snapshot and goes on at the same offsets.
                await OpenBigQueryAsync(
                    bigQueryEndpoint ?? throw new InvalidOperationException("The sample source reads from a BigQuery endpoint the host serves; none was given."),
                    MigrationSource.Sample.TableName,
                    offsets,
                    recreateSession: true,
                    cancellationToken).ConfigureAwait(false);
                break;
            case MigrationSource.BigQuery bigQuery:
                CallInvoker invoker = bigQueryEndpoint ?? (_opened.Connection = await BigQueryConnection.ConnectAsync(new BigQueryConnectionOptions { CredentialsFile = _options.CredentialsFile }, cancellationToken).ConfigureAwait(false)).CallInvoker;
                await OpenBigQueryAsync(invoker, bigQuery.Table, offsets, recreateSession: false, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private static IRowSource Resuming(IRowSource source, IReadOnlyDictionary<int, long> offsets) =>
        offsets.Count == 0 ? source : new ResumingSource(source, offsets);

    private async Task OpenBigQueryAsync(CallInvoker invoker, string table, IReadOnlyDictionary<int, long> offsets, bool recreateSession, CancellationToken cancellationToken)
    {
        FeatureSetOptions featureSet = _options.FeatureSet;
        bool sharded = _options.ShardCount > 1;
        var options = new BigQuerySourceOptions
        {
            Table = table,
            BillingProject = _options.BillingProject,
            SelectedFields = [.. featureSet.EntityKey.Append(featureSet.EventTime).Concat(featureSet.Features.Select(f => f.SourceColumn)).Distinct(StringComparer.Ordinal)],
            RowRestriction = _options.RowRestriction,
            SnapshotTime = Checkpoint?.SnapshotTime ?? _options.SnapshotTime,

            // Shards share one session: enough streams for each shard to read as many at once as it may.
            MaxStreamCount = sharded && _options.MaxStreams == 0
                ? Math.Min(_options.ShardCount * _options.ReadStreams, BigQuerySourceLimits.MaxStreamCount.Max)
                : _options.MaxStreams,
            MaxConcurrentStreams = _options.ReadStreams,
            DataFormat = _options.DataFormat,
            ArrowCompression = _options.ArrowCompression,
            StartOffsets = offsets,
            CompletedStreams = Checkpoint?.Partitions.Where(p => p.Complete).Select(p => p.Partition).ToHashSet(),
            RetryDeadline = _options.RetryDeadline ?? new BigQuerySourceOptions().RetryDeadline,
            ShardIndex = _options.ShardIndex,
            ShardCount = _options.ShardCount,
        };
        _opened.Restriction = options.RowRestriction;
        _bigQueryInvoker = invoker;
        _bigQueryOptions = options;
        ReadSessionCheckpoint? saved = Checkpoint?.Session;
        BigQueryStorageSource source;
        if (sharded && !recreateSession)
        {
            source = await SharedSessionAsync(invoker, options, cancellationToken).ConfigureAwait(false);
            await StealAsync(source, cancellationToken).ConfigureAwait(false);
        }
        else if (saved is not null && !recreateSession && saved.ExpireTime <= _time.GetUtcNow() && !FinishedEarlier)
        {
            // The session this job read has expired since: a new one at the same snapshot, read from the start.
            source = await BigQueryStorageSource.OpenAsync(invoker, options with { StartOffsets = null, CompletedStreams = null }, cancellationToken).ConfigureAwait(false);
            MoveCheckpoint(new SessionRenewal(Checkpoint!.Renewals.Count + 1, saved.Name, saved.ExpireTime, source.Session.Name, "the job", _time.GetUtcNow(), Checkpoint.Totals.Read), SessionCheckpoint(source));
        }
        else if (saved is not null && !recreateSession)
        {
            var session = new BigQueryReadSessionInfo(saved.Name, Checkpoint!.SnapshotTime, saved.Streams, saved.ExpireTime, saved.EstimatedRowCount, saved.EstimatedTotalBytesScanned);
            source = saved.AvroSchema is { } avroSchema
                ? BigQueryStorageSource.ResumeAvro(invoker, options, session, avroSchema)
                : BigQueryStorageSource.Resume(invoker, options, session, ByteString.FromBase64(saved.ArrowSchemaBase64));
        }
        else
        {
            // The sample's sessions are deterministic: each shard creates the same one and reads its streams of it.
            source = await BigQueryStorageSource.OpenAsync(invoker, options, cancellationToken).ConfigureAwait(false);
            if (saved is not null && source.Session.Streams.Count != saved.Streams.Count)
            {
                throw new BigQuerySourceException($"The read session was created again on the checkpoint's snapshot but has {source.Session.Streams.Count} streams where the checkpoint's had {saved.Streams.Count}: the offsets do not apply. Start over with --restart.");
            }
        }

        _opened.BigQuery = source;
        _opened.Source = source;
    }

    /// <summary>A partition as the report names it: its file, else its stream or partition number.</summary>
    private string PartitionName(int partition) => StolenName(partition) ?? (_options.Source is MigrationSource.Files files
        && (_fileNames ??= FileSources.Names(files) ?? []) is { } names && partition < names.Count
        ? names[partition]
        : _options.Source switch
        {
            MigrationSource.BigQuery or MigrationSource.Sample => string.Create(CultureInfo.InvariantCulture, $"stream {partition}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"partition {partition}"),
        });

    /// <summary>Partitions read to their end (this run or an earlier one), with their row counts.</summary>
    private Dictionary<int, long>? Ends()
    {
        if (_opened.BigQuery is null)
        {
            return null;
        }

        var ends = new Dictionary<int, long>(_opened.BigQuery.EndedStreams);
        foreach (PartitionEntry entry in Checkpoint?.Partitions ?? [])
        {
            if (entry.Complete)
            {
                ends.TryAdd(entry.Partition, entry.Offset);
            }
        }

        return ends;
    }

    /// <summary>The source of this run and what it needs kept alive.</summary>
    private sealed class OpenedSource : IAsyncDisposable
    {
        public IRowSource? Source { get; set; }

        public BigQueryStorageSource? BigQuery { get; set; }

        public BigQueryConnection? Connection { get; set; }

        public string? Restriction { get; set; }

        public ValueTask DisposeAsync()
        {
            Connection?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
