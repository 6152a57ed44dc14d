using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Telemetry;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Verification;

/// <summary>
/// The end of the graph. Accounts for every source row (written or dead-lettered), keeps order-independent
/// checksums per source partition and key bucket, and, by mode, reads rows back from Bigtable and compares their
/// digests. Single consumer: the pipeline runs it with a degree of parallelism of one.
/// </summary>
internal sealed class VerificationSink
{
    private const int ReadAttempts = 5;
    private static readonly KeyValuePair<string, object?> MatchedTag = new("result", "matched");
    private static readonly KeyValuePair<string, object?> MissingTag = new("result", "missing");
    private static readonly KeyValuePair<string, object?> ChangedTag = new("result", "changed");

    private readonly VerificationOptions _options;
    private readonly RowDigester _digester;
    private readonly IDeadLetterSink _deadLetters;
    private readonly PipelineMetrics _metrics;
    private readonly BigtableClient? _reader;
    private readonly string _tableName;
    private readonly string? _appProfileId;
    private readonly Dictionary<int, Checksum> _byPartition = [];
    private readonly Dictionary<int, Checksum> _byBucket = [];
    private readonly List<(ByteString Key, ulong Digest, long Timestamp)> _pending = [];
    private readonly List<string> _missingKeys = [];
    private readonly List<string> _changedKeys = [];
    private long _rowsRead;
    private long _rowsWritten;
    private long _deadLettered;
    private long _matched;
    private long _missing;
    private long _changed;
    private long _retries;

    public VerificationSink(VerificationOptions options, RowMapper mapper, IDeadLetterSink deadLetters, PipelineMetrics metrics, BigtableClient? reader, string tableName, string? appProfileId)
    {
        if (options.Mode != VerificationMode.None && reader is null)
        {
            throw new ArgumentException($"Verification mode {options.Mode} reads rows back and needs a Bigtable client.", nameof(reader));
        }

        _options = options;
        _digester = new RowDigester(mapper);
        _deadLetters = deadLetters;
        _metrics = metrics;
        _reader = reader;
        _tableName = tableName;
        _appProfileId = appProfileId;
    }

    /// <summary>Rows accounted for so far (written or dead-lettered), for progress.</summary>
    public long RowsDone => Interlocked.Read(ref _rowsWritten) + Interlocked.Read(ref _deadLettered);

    public async Task AcceptAsync(WriteOutcome outcome, CancellationToken cancellationToken)
    {
        MutationBatch batch = outcome.Batch;
        try
        {
            foreach (DeadLetter deadLetter in batch.DeadLetters.Concat(outcome.WriteFailures))
            {
                await _deadLetters.WriteAsync(deadLetter, cancellationToken).ConfigureAwait(false);
                _metrics.DeadLetters.Add(1, new KeyValuePair<string, object?>("reason", deadLetter.Reason.ToString()));
            }

            Interlocked.Add(ref _deadLettered, batch.DeadLetters.Count + outcome.WriteFailures.Count);
            _rowsRead += batch.SourceRows;
            _retries += outcome.RetriedEntries;
            RowBuffer rows = batch.Rows;
            for (int i = 0; i < rows.RowCount; i++)
            {
                if (outcome.Failed[i])
                {
                    continue;
                }

                ref readonly MappedRow row = ref rows[i];
                _byPartition[row.Partition] = _byPartition.GetValueOrDefault(row.Partition).Add(row.Digest);
                _byBucket[row.Bucket] = _byBucket.GetValueOrDefault(row.Bucket).Add(row.Digest);
                if (Selected(row.Digest))
                {
                    _pending.Add((ByteString.CopyFrom(rows.Key(i)), row.Digest, row.TimestampMicros));
                }
            }

            Interlocked.Add(ref _rowsWritten, outcome.WrittenRows);
            if (_pending.Count >= _options.ReadBatchRows)
            {
                await ReadBackAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            batch.Dispose();
        }
    }

    /// <summary>Reads back whatever is still pending; call once the writer is done.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _pending.Count > 0 ? ReadBackAsync(cancellationToken) : Task.CompletedTask;

    public IntegrityReport Report() => new()
    {
        Mode = _options.Mode,
        RowsRead = _rowsRead,
        RowsWritten = _rowsWritten,
        DeadLettered = _deadLettered,
        RowsVerified = _matched + _missing + _changed,
        Matched = _matched,
        Missing = _missing,
        Changed = _changed,
        MissingKeys = [.. _missingKeys],
        ChangedKeys = [.. _changedKeys],
        ByPartition = new Dictionary<int, Checksum>(_byPartition),
        ByBucket = new Dictionary<int, Checksum>(_byBucket),
        Retries = _retries,
    };

    private bool Selected(ulong digest) => _options.Mode switch
    {
        VerificationMode.Full => true,
        VerificationMode.Sampled => (digest % 1_000_000UL) < (ulong)(_options.SampleRate * 1_000_000),
        _ => false,
    };

    private async Task ReadBackAsync(CancellationToken cancellationToken)
    {
        var request = new ReadRowsRequest { TableName = _tableName, AppProfileId = _appProfileId ?? string.Empty, Rows = new RowSet() };
        foreach (var (key, _, _) in _pending)
        {
            request.Rows.RowKeys.Add(key);
        }

        Dictionary<ByteString, Row> found = await ReadAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var (key, digest, timestamp) in _pending)
        {
            if (!found.TryGetValue(key, out Row? row))
            {
                _missing++;
                _metrics.Verified.Add(1, MissingTag);
                Note(_missingKeys, key);
            }
            else if (_digester.Digest(row, timestamp) != digest)
            {
                _changed++;
                _metrics.Verified.Add(1, ChangedTag);
                Note(_changedKeys, key);
            }
            else
            {
                _matched++;
                _metrics.Verified.Add(1, MatchedTag);
            }
        }

        _pending.Clear();
    }

    private async Task<Dictionary<ByteString, Row>> ReadAsync(ReadRowsRequest request, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            var rows = new Dictionary<ByteString, Row>();
            var merger = new ReadRowsMerger();
            try
            {
                using AsyncServerStreamingCall<ReadRowsResponse> call = _reader!.ReadRows(request, BigtableWriter.RequestParams(_tableName, _appProfileId), cancellationToken: cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    foreach (Row row in merger.Add(call.ResponseStream.Current))
                    {
                        rows[row.Key] = row;
                    }
                }

                merger.Complete();
                return rows;
            }
            catch (RpcException e) when (attempt < ReadAttempts && WriteStatus.IsRetryable(e.StatusCode, hasRetryInfo: true) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * (1 << attempt)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Note(List<string> keys, ByteString key)
    {
        if (keys.Count < _options.MaxReportedKeys)
        {
            keys.Add(RowKeyFormat.Display(key.Span));
        }
    }
}
