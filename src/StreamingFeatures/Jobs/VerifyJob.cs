using System.Collections.Concurrent;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Jobs;

/// <summary>
/// Compares a Bigtable table with its source without writing: every source row is mapped as a migration maps it
/// and read back by key at its event timestamp (matched, missing, changed; cells a stream wrote later do not
/// count), and every table row is accounted for per key range (extras). The host calls <see cref="ConnectAsync"/>,
/// <see cref="PrepareAsync"/> and <see cref="RunAsync"/> in that order.
/// </summary>
/// <remarks>
/// Memory stays flat in the table's size: the source streams through a bounded block, the table's keys through one
/// scan, and per key range only counts and key sums are kept. Only ranges whose key sums differ are searched key by
/// key, holding their keys (at most <see cref="VerifyJobOptions.ExactPassMaxKeys"/> at a time).
/// </remarks>
public sealed partial class VerifyJob : IAsyncDisposable
{
    private readonly VerifyJobOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentBag<ReadRowsDigester> _digesters = [];
    private BigtableConnection? _bigtable;
    private BigtableTarget? _target;
    private BigQueryConnection? _bigQueryConnection;
    private IRowSource? _source;
    private RowMapper? _mapper;
    private RowDigester? _digester;
    private TableComparison? _comparison;
    private DateTimeOffset? _newerThan;
    private long _rowsChecked;
    private long _rejected;

    public VerifyJob(VerifyJobOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Source rows compared so far (for progress).</summary>
    public long RowsChecked => Interlocked.Read(ref _rowsChecked);

    /// <summary>Table rows scanned so far.</summary>
    public long TableRowsScanned => Interlocked.Read(ref _tableRowsScanned);

    /// <exception cref="MigrationInputException">The options name no Bigtable.</exception>
    public async Task ConnectAsync(BigtableConnectionOptions bigtable, CancellationToken cancellationToken)
    {
        try
        {
            _bigtable = await BigtableConnection.ConnectAsync(bigtable, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new MigrationInputException(e.Message, e);
        }

        _target = _bigtable.Target(_options.FeatureSet.Table);
    }

    public ValueTask DisposeAsync()
    {
        _bigQueryConnection?.Dispose();
        _bigtable?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>This shard's share of the rows: by a hash of the row key, the same on both sides.</summary>
    private bool Owned(ulong keyHash) => _options.ShardCount <= 1 || keyHash % (ulong)_options.ShardCount == (ulong)_options.ShardIndex;

    private CallRetry Retry(CallRetryOptions preset) =>
        new(_options.RetryDeadline is { } deadline ? preset.WithDeadline(deadline) : preset, _time);

    private BigtableTarget Target => _target ?? throw new InvalidOperationException("Connect the job first (ConnectAsync).");

    private TableComparison Comparison => _comparison ?? throw new InvalidOperationException("Prepare the job first (PrepareAsync).");
}
