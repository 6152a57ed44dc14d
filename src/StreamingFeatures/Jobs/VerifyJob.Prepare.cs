using Grpc.Core;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Files;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Jobs;

/// <summary>Opening the source as a migration opens it, and cutting the table into key ranges; nothing is read yet.</summary>
public sealed partial class VerifyJob
{
    private CallInvoker? _bigQueryEndpoint;
    private DateTimeOffset? _snapshot;

    /// <summary>Opens the source, checks it against the feature set and finds the table's key ranges.</summary>
    /// <param name="bigQueryEndpoint">A BigQuery Storage endpoint the host serves (required for <see cref="MigrationSource.Sample"/>); null reads BigQuery at Google.</param>
    /// <param name="cancellationToken">Stops opening the source.</param>
    /// <exception cref="MigrationInputException">The source, its schema or the feature set cannot be used.</exception>
    /// <exception cref="Bigtable.TableMissingException">The table does not exist.</exception>
    public async Task<VerifyPlan> PrepareAsync(CallInvoker? bigQueryEndpoint, CancellationToken cancellationToken)
    {
        _bigQueryEndpoint = bigQueryEndpoint;
        FeatureSetOptions featureSet = _options.FeatureSet;
        BigQueryStorageSource? bigQuery;
        try
        {
            (_source, bigQuery) = await OpenSourceAsync(_options.SnapshotTime, new CountingSink(this), cancellationToken).ConfigureAwait(false);
            DateTimeOffset reference = bigQuery?.Session.SnapshotTime ?? _time.GetUtcNow();
            _mapper = RowMapper.Create(featureSet, _source.Schema, new BatchingOptions().MaxBytes, reference, _time);
        }
        catch (Exception e) when (e is FeatureSetException or FileSourceException or BigQuerySourceException or SchemaMismatchException or ArgumentException)
        {
            throw new MigrationInputException(e.Message, e);
        }

        _digester = new RowDigester(_mapper);

        // Rows a stream created after the snapshot are no extras; event times may run up to the skew past it.
        _snapshot = bigQuery?.Session.SnapshotTime;
        _newerThan = _snapshot + featureSet.MaxFutureSkew;
        _comparison = new TableComparison(new KeyRanges(await SplitPointsAsync(cancellationToken).ConfigureAwait(false)), _options.Verification.MaxReportedKeys);
        return new VerifyPlan(
            _source.Description,
            Target.TableName,
            _bigtable!.IsEmulator ? "emulator " + _bigtable.DataAddress : "Google Cloud",
            _mapper.Keys,
            bigQuery?.Session,
            _source.ExpectedRows,
            _comparison.Ranges.Count,
            _newerThan);
    }

    /// <summary>The source, opened afresh (each pass reads it whole); BigQuery at <paramref name="snapshot"/>.</summary>
    private async Task<(IRowSource Source, BigQueryStorageSource? BigQuery)> OpenSourceAsync(DateTimeOffset? snapshot, IDeadLetterSink rejections, CancellationToken cancellationToken)
    {
        switch (_options.Source)
        {
            case MigrationSource.Synthetic synthetic:
                return (new SyntheticSource(new SyntheticSourceOptions { Rows = synthetic.Rows, Features = synthetic.Features }), null);
            case MigrationSource.Files files:
                return (await FileSources.OpenAsync(files, _options.FeatureSet, rejections, cancellationToken).ConfigureAwait(false), null);
            case MigrationSource.Sample:
                CallInvoker sample = _bigQueryEndpoint ?? throw new InvalidOperationException("The sample source reads from a BigQuery endpoint the host serves; none was given.");
                return await OpenBigQueryAsync(sample, MigrationSource.Sample.TableName, snapshot, cancellationToken).ConfigureAwait(false);
            case MigrationSource.BigQuery table:
                CallInvoker invoker = _bigQueryEndpoint ?? (_bigQueryConnection ??= await BigQueryConnection.ConnectAsync(new BigQueryConnectionOptions { CredentialsFile = _options.CredentialsFile }, cancellationToken).ConfigureAwait(false)).CallInvoker;
                return await OpenBigQueryAsync(invoker, table.Table, snapshot, cancellationToken).ConfigureAwait(false);
            default:
                throw new ArgumentException($"Unknown source {_options.Source.Text}.");
        }
    }

    private async Task<(IRowSource, BigQueryStorageSource?)> OpenBigQueryAsync(CallInvoker invoker, string table, DateTimeOffset? snapshot, CancellationToken cancellationToken)
    {
        FeatureSetOptions featureSet = _options.FeatureSet;
        BigQueryStorageSource source = await BigQueryStorageSource.OpenAsync(
            invoker,
            new BigQuerySourceOptions
            {
                Table = table,
                BillingProject = _options.BillingProject,
                SelectedFields = [.. featureSet.EntityKey.Append(featureSet.EventTime).Concat(featureSet.Features.Select(f => f.SourceColumn)).Distinct(StringComparer.Ordinal)],
                RowRestriction = _options.RowRestriction,
                SnapshotTime = snapshot,
                MaxStreamCount = _options.MaxStreams,
                MaxConcurrentStreams = _options.ReadStreams,
                DataFormat = _options.DataFormat,
                ArrowCompression = _options.ArrowCompression,
                RetryDeadline = _options.RetryDeadline ?? new BigQuerySourceOptions().RetryDeadline,
            },
            cancellationToken).ConfigureAwait(false);
        return (source, source);
    }

    /// <summary>Source records that can never become rows (a file's broken line): counted, as a migration dead-letters them.</summary>
    private sealed class CountingSink(VerifyJob job) : IDeadLetterSink
    {
        public ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref job._rejected);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A sink for passes after the first, which have counted every rejection already.</summary>
    private sealed class DiscardingSink : IDeadLetterSink
    {
        public static readonly DiscardingSink Instance = new();

        public ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
