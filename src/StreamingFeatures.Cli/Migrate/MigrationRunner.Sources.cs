using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>Opening the source where the last run stopped.</summary>
internal sealed partial class MigrationRunner
{
    private async Task OpenSourceAsync(OpenedSource opened, FeatureSetOptions featureSet, ProgressTracker progress, IDeadLetterSink rejections, CancellationToken stop)
    {
        Dictionary<int, long> offsets = progress.Snapshot().Committed.ToDictionary(p => p.Key, p => p.Value.Offset);
        switch (_settings.SourceKind)
        {
            case SourceKind.Synthetic:
                opened.Source = Resuming(SourceSpec.Sample(_settings.SampleRows, _settings.SampleFeatures), offsets);
                break;
            case SourceKind.Files:
                opened.Source = Resuming(await SourceSpec.OpenFilesAsync(_settings.Source, featureSet, rejections, stop, _settings.CsvAllowQuotedNewlines, (int)_settings.MaxRecordBytes).ConfigureAwait(false), offsets);
                break;
            case SourceKind.Sample:
                // The sample is served the way a real migration reads BigQuery: sessions, streams, Arrow batches.
                // The built-in emulator dies with this process, but its data and stream split are deterministic,
                // so a resumed run creates the session again on the same snapshot and goes on at the same offsets.
                opened.Emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), stop).ConfigureAwait(false);
                opened.Emulator.AddTable("local", "features", "sample", SourceSpec.Sample(_settings.SampleRows, _settings.SampleFeatures));
                opened.Channel = opened.Emulator.CreateChannel();
                await OpenBigQueryAsync(opened, opened.Channel.CreateCallInvoker(), featureSet, offsets, recreateSession: true, stop).ConfigureAwait(false);
                break;
            default:
                opened.Connection = await BigQueryConnection.ConnectAsync(new BigQueryConnectionOptions { CredentialsFile = _settings.CredentialsFile }, stop).ConfigureAwait(false);
                await OpenBigQueryAsync(opened, opened.Connection.CallInvoker, featureSet, offsets, recreateSession: false, stop).ConfigureAwait(false);
                break;
        }

        opened.ExpectedRows ??= opened.Source!.ExpectedRows;
    }

    private static IRowSource Resuming(IRowSource source, IReadOnlyDictionary<int, long> offsets) =>
        offsets.Count == 0 ? source : new ResumingSource(source, offsets);

    private async Task OpenBigQueryAsync(OpenedSource opened, CallInvoker invoker, FeatureSetOptions featureSet, IReadOnlyDictionary<int, long> offsets, bool recreateSession, CancellationToken stop)
    {
        string? shard = _settings.ShardCount > 1 ? ShardRestriction.For(featureSet.EntityKey, _settings.ShardIndex, _settings.ShardCount) : null;
        var options = new BigQuerySourceOptions
        {
            Table = _settings.BigQueryTable!,
            BillingProject = _settings.BillingProject,
            SelectedFields = [.. featureSet.EntityKey.Append(featureSet.EventTime).Concat(featureSet.Features.Select(f => f.SourceColumn)).Distinct(StringComparer.Ordinal)],
            RowRestriction = ShardRestriction.Combine(_settings.RowRestriction, shard),
            SnapshotTime = _checkpoint?.SnapshotTime ?? _settings.SnapshotTime,
            MaxStreamCount = _settings.MaxStreams,
            MaxConcurrentStreams = _settings.ReadStreams,
            DataFormat = _settings.DataFormat,
            StartOffsets = offsets,
            CompletedStreams = _checkpoint?.Partitions.Where(p => p.Complete).Select(p => p.Partition).ToHashSet(),
            RetryDeadline = _settings.RetryDeadline ?? new BigQuerySourceOptions().RetryDeadline,
        };
        opened.Restriction = options.RowRestriction;
        ReadSessionCheckpoint? saved = _checkpoint?.Session;
        BigQueryStorageSource source;
        if (saved is not null && !recreateSession)
        {
            var session = new BigQueryReadSessionInfo(saved.Name, _checkpoint!.SnapshotTime, saved.Streams, saved.ExpireTime, saved.EstimatedRowCount);
            source = saved.AvroSchema is { } avroSchema
                ? BigQueryStorageSource.ResumeAvro(invoker, options, session, avroSchema)
                : BigQueryStorageSource.Resume(invoker, options, session, ByteString.FromBase64(saved.ArrowSchemaBase64));
        }
        else
        {
            source = await BigQueryStorageSource.OpenAsync(invoker, options, stop).ConfigureAwait(false);
            if (saved is not null && source.Session.Streams.Count != saved.Streams.Count)
            {
                throw new BigQuerySourceException($"The read session was created again on the checkpoint's snapshot but has {source.Session.Streams.Count} streams where the checkpoint's had {saved.Streams.Count}: the offsets do not apply. Start over with --restart.");
            }
        }

        if (shard is not null && ShardRestriction.Unsupported(source.Schema, featureSet.EntityKey) is { Count: > 0 } problems)
        {
            throw new BigQuerySourceException($"Cannot shard {options.Table}: {string.Join("; ", problems)}.");
        }

        opened.BigQuery = source;
        opened.Source = source;
    }

    /// <summary>Partitions read to their end (this run or an earlier one), with their row counts.</summary>
    private Dictionary<int, long>? Ends(OpenedSource opened)
    {
        if (opened.BigQuery is null)
        {
            return null;
        }

        var ends = new Dictionary<int, long>(opened.BigQuery.EndedStreams);
        foreach (PartitionEntry entry in _checkpoint?.Partitions ?? [])
        {
            if (entry.Complete)
            {
                ends.TryAdd(entry.Partition, entry.Offset);
            }
        }

        return ends;
    }

    private void PrintPlan(OpenedSource opened, string tableName, BigtableConnection bigtable, IngestionPipeline pipeline)
    {
        AnsiConsole.MarkupLineInterpolated($"Migrating [bold]{opened.Source!.Description}[/] into [bold]{tableName}[/] ({(bigtable.IsEmulator ? "emulator " + bigtable.DataAddress : "Google Cloud")}), keys {pipeline.Keys}, verify {_settings.Verification.Mode}.");
        if (opened.Restriction is { } restriction)
        {
            AnsiConsole.MarkupLineInterpolated($"Row restriction: {restriction}");
        }

        if (opened.BigQuery is { } bq)
        {
            AnsiConsole.MarkupLineInterpolated($"Read session {bq.Session.Name}, snapshot {bq.Session.SnapshotTime:O}, {bq.Session.Streams.Count} streams.");
        }

        if (_checkpoint is { } checkpoint)
        {
            AnsiConsole.MarkupLineInterpolated($"Resuming from {_store!.Description}: {MigrateCommand.Count(checkpoint.Totals.Read)} rows done in {checkpoint.Runs} earlier run(s).");
        }
        else if (_store is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"Checkpoint: {_store.Description}");
        }
    }

    /// <summary>The source of this run and what it needs kept alive.</summary>
    private sealed class OpenedSource : IAsyncDisposable
    {
        public IRowSource? Source { get; set; }

        public BigQueryStorageSource? BigQuery { get; set; }

        public BigQueryStorageEmulator? Emulator { get; set; }

        public GrpcChannel? Channel { get; set; }

        public BigQueryConnection? Connection { get; set; }

        public string? Restriction { get; set; }

        public long? ExpectedRows { get; set; }

        public async ValueTask DisposeAsync()
        {
            Channel?.Dispose();
            Connection?.Dispose();
            if (Emulator is not null)
            {
                await Emulator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
