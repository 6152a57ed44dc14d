using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Serving;

public sealed partial class FeatureReader
{
    /// <summary>Per distinct key, its features, or null when its row was not returned; the whole read bounded by the timeout.</summary>
    private async Task<FeatureResult[]?[]> ReadKeysAsync(ByteString[] keys, ReadSelection selected, long asOfMicros, CancellationToken cancellationToken)
    {
        var rows = new FeatureResult[]?[keys.Length];
        if (keys.Length == 0)
        {
            return rows;
        }

        RowFilter filter = selected.Filter.For(asOfMicros);
        RowAnswer answer = selected.Answer;
        DateTime deadline = _time.GetUtcNow().UtcDateTime + _options.Timeout;
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        int size = _options.SubBatchKeys;
        try
        {
            if (keys.Length <= size)
            {
                // One sub-batch (every read of up to SubBatchKeys keys): no scheduler to start.
                await ReadBatchAsync(new ArraySegment<ByteString>(keys), filter, answer, rows, deadline, linked.Token).ConfigureAwait(false);
            }
            else
            {
                var batches = Enumerable.Range(0, (keys.Length + size - 1) / size).Select(b => new ArraySegment<ByteString>(keys, b * size, Math.Min(size, keys.Length - (b * size))));
                await Parallel.ForEachAsync(
                    batches,
                    new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = linked.Token },
                    (batch, token) => new ValueTask(ReadBatchAsync(batch, filter, answer, rows, deadline, token))).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException or CallGaveUpException)
        {
            throw new TimeoutException($"Reading {keys.Length} row(s) of table '{_target.TableId}' passed the {_options.Timeout.TotalMilliseconds:0.###} ms deadline (FeatureReaderOptions.Timeout).", e);
        }

        return rows;
    }

    /// <summary>
    /// One sub-batch: one ReadRows with its keys, retried on transient failures from the first key not yet answered
    /// (a row received, or passed by the server's last scanned key, is never asked for again).
    /// </summary>
    private Task ReadBatchAsync(ArraySegment<ByteString> keys, RowFilter filter, RowAnswer answer, FeatureResult[]?[] rows, DateTime deadline, CancellationToken cancellationToken)
    {
        int next = 0;
        return _retry.ExecuteAsync(
            $"Bigtable ReadRows of {keys.Count} feature row(s) on table '{_target.TableId}'",
            async attempt =>
            {
                if (next >= keys.Count)
                {
                    return;
                }

                if (attempt.Number > 1)
                {
                    _metrics?.Retries.Add(1, _tableTag);
                }

                var rowSet = new RowSet();
                rowSet.RowKeys.Add(next == 0 ? keys : keys[next..]);

                var request = new ReadRowsRequest { TableName = _target.TableName, AppProfileId = _target.AppProfileId ?? string.Empty, Rows = rowSet, Filter = filter };
                var merger = new ReadRowsMerger();
                using AsyncServerStreamingCall<ReadRowsResponse> call = _client.ReadRows(
                    request, _target.RequestParams, attempt.Deadline < deadline ? attempt.Deadline : deadline, attempt.CancellationToken);
                while (await call.ResponseStream.MoveNext(attempt.CancellationToken).ConfigureAwait(false))
                {
                    foreach (Row row in merger.Add(call.ResponseStream.Current))
                    {
                        next = Skip(keys, next, row.Key, inclusive: false);
                        if (next < keys.Count && keys[next] == row.Key)
                        {
                            rows[keys.Offset + next] = answer.Decide(row);
                            next++;
                            attempt.Progressed();
                        }
                    }

                    if (merger.LastCommittedKey is { } scanned)
                    {
                        next = Skip(keys, next, scanned, inclusive: true);
                    }
                }

                merger.Complete();
                next = keys.Count;
            },
            cancellationToken);
    }

    /// <summary>The first index from <paramref name="next"/> whose key is after <paramref name="key"/> (or at it, unless <paramref name="inclusive"/>).</summary>
    private static int Skip(ArraySegment<ByteString> keys, int next, ByteString key, bool inclusive)
    {
        while (next < keys.Count)
        {
            int order = keys[next].Span.SequenceCompareTo(key.Span);
            if (order > 0 || (order == 0 && !inclusive))
            {
                break;
            }

            next++;
        }

        return next;
    }
}
