using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Verification;

/// <summary>Read-back: one ReadRows call per job, jobs in parallel, digests compared, results counted.</summary>
internal sealed partial class VerificationSink
{
    private const int ReadAttempts = 5;
    private static readonly KeyValuePair<string, object?> MatchedTag = new("result", "matched");
    private static readonly KeyValuePair<string, object?> MissingTag = new("result", "missing");
    private static readonly KeyValuePair<string, object?> ChangedTag = new("result", "changed");

    private async Task VerifyAsync(ReadBackJob job, CancellationToken cancellationToken)
    {
        var request = new ReadRowsRequest { TableName = _tableName, AppProfileId = _appProfileId ?? string.Empty, Rows = new RowSet() };
        foreach (ReadBackJob.PendingRow pending in job.Keys)
        {
            request.Rows.RowKeys.Add(pending.Key);
        }

        Dictionary<ByteString, Row> found = await ReadAsync(request, cancellationToken).ConfigureAwait(false);
        long matched = 0;
        foreach (ReadBackJob.PendingRow pending in job.Keys)
        {
            if (!found.TryGetValue(pending.Key, out Row? row))
            {
                job.NoteProblem(pending, missing: true);
                Interlocked.Increment(ref _missing);
                _metrics.Verified.Add(1, MissingTag);
                Note(_missingKeys, pending.Key);
            }
            else if (_digester.Digest(row, pending.TimestampMicros) != pending.Digest)
            {
                job.NoteProblem(pending, missing: false);
                Interlocked.Increment(ref _changed);
                _metrics.Verified.Add(1, ChangedTag);
                Note(_changedKeys, pending.Key);
            }
            else
            {
                matched++;
            }
        }

        Interlocked.Add(ref _matched, matched);
        _metrics.Verified.Add(matched, MatchedTag);
        _completion?.Complete(job.Ranges());
    }

    private async Task<Dictionary<ByteString, Row>> ReadAsync(ReadRowsRequest request, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            var rows = new Dictionary<ByteString, Row>(request.Rows.RowKeys.Count);
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
        lock (_keysLock)
        {
            if (keys.Count < _options.MaxReportedKeys)
            {
                keys.Add(RowKeyFormat.Display(key.Span));
            }
        }
    }
}
