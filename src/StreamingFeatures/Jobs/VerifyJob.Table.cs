using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Resilience;
using StreamingFeatures.Verification;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Jobs;

/// <summary>The table's side: its split points, and scans of its keys (values stripped), resumed after a break.</summary>
public sealed partial class VerifyJob
{
    private long _tableRowsScanned;

    /// <summary>SampleRowKeys: the table's tablet boundaries, which become the comparison's key ranges.</summary>
    private Task<List<byte[]>> SplitPointsAsync(CancellationToken cancellationToken)
    {
        BigtableTarget target = Target;
        var client = new BigtableClient(target.Invoker);
        return Retry(CallRetryOptions.BigtableRead).ExecuteAsync(
            $"Bigtable SampleRowKeys on table '{target.TableId}'",
            async attempt =>
            {
                var splits = new List<byte[]>();
                try
                {
                    using AsyncServerStreamingCall<SampleRowKeysResponse> call = client.SampleRowKeys(
                        new SampleRowKeysRequest { TableName = target.TableName, AppProfileId = target.AppProfileId ?? string.Empty },
                        new CallOptions(target.RequestParams, attempt.Deadline, attempt.CancellationToken));
                    while (await call.ResponseStream.MoveNext(attempt.CancellationToken).ConfigureAwait(false))
                    {
                        splits.Add(call.ResponseStream.Current.RowKey.ToByteArray());
                    }
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    throw new TableMissingException($"Table {target.TableName} does not exist: there is nothing to compare.", e);
                }

                return splits;
            },
            cancellationToken);
    }

    /// <summary>
    /// Every key of the table in <paramref name="rows"/> (all of it when null), in key order, to
    /// <paramref name="onKey"/>. Only rows with a cell at or before <see cref="_newerThan"/> count, when set. A broken
    /// scan goes on after the last key it delivered.
    /// </summary>
    private Task ScanKeysAsync(RowSet? rows, Action<ReadOnlySpan<byte>> onKey, CancellationToken cancellationToken)
    {
        BigtableTarget target = Target;
        var client = new BigtableClient(target.Invoker);
        var filters = new RowFilter.Types.Chain();
        if (_newerThan is { } newest)
        {
            filters.Filters.Add(new RowFilter { TimestampRangeFilter = new TimestampRange { EndTimestampMicros = (newest.ToUnixTimeMilliseconds() + 1) * 1000 } });
        }

        filters.Filters.Add(new RowFilter { CellsPerRowLimitFilter = 1 });
        filters.Filters.Add(new RowFilter { StripValueTransformer = true });
        ByteString? last = null;
        return Retry(CallRetryOptions.BigtableRead).ExecuteAsync(
            $"Bigtable ReadRows (key scan) on table '{target.TableId}'",
            async attempt =>
            {
                var request = new ReadRowsRequest
                {
                    TableName = target.TableName,
                    AppProfileId = target.AppProfileId ?? string.Empty,
                    Rows = After(rows, last),
                    Filter = new RowFilter { Chain = filters },
                };
                if (request.Rows is { RowKeys.Count: 0, RowRanges.Count: 0 } && rows is not null)
                {
                    return;
                }

                var merger = new ReadRowsMerger();
                using AsyncServerStreamingCall<ReadRowsResponse> call = client.ReadRows(request, new CallOptions(target.RequestParams, attempt.Deadline, attempt.CancellationToken));
                while (await call.ResponseStream.MoveNext(attempt.CancellationToken).ConfigureAwait(false))
                {
                    foreach (Row row in merger.Add(call.ResponseStream.Current))
                    {
                        onKey(row.Key.Span);
                        last = row.Key;
                        Interlocked.Increment(ref _tableRowsScanned);
                    }

                    attempt.Progressed();
                }

                merger.Complete();
            },
            cancellationToken);
    }

    /// <summary>The rows of <paramref name="rows"/> (null: the whole table) after <paramref name="last"/>.</summary>
    private static RowSet After(RowSet? rows, ByteString? last)
    {
        if (last is null)
        {
            return rows?.Clone() ?? new RowSet();
        }

        if (rows is null)
        {
            return new RowSet { RowRanges = { new RowRange { StartKeyOpen = last } } };
        }

        var after = new RowSet();
        foreach (RowRange range in rows.RowRanges)
        {
            bool endsBefore = range.EndKeyCase switch
            {
                RowRange.EndKeyOneofCase.EndKeyOpen => range.EndKeyOpen.Span.SequenceCompareTo(last.Span) <= 0,
                RowRange.EndKeyOneofCase.EndKeyClosed => range.EndKeyClosed.Span.SequenceCompareTo(last.Span) <= 0,
                _ => false,
            };
            if (endsBefore)
            {
                continue;
            }

            RowRange rest = range.Clone();
            byte[]? start = range.StartKeyCase switch
            {
                RowRange.StartKeyOneofCase.StartKeyClosed => range.StartKeyClosed.ToByteArray(),
                RowRange.StartKeyOneofCase.StartKeyOpen => range.StartKeyOpen.ToByteArray(),
                _ => null,
            };
            if (start is null || start.AsSpan().SequenceCompareTo(last.Span) <= 0)
            {
                rest.StartKeyOpen = last;
            }

            after.RowRanges.Add(rest);
        }

        return after;
    }

    /// <summary>The key ranges <paramref name="ranges"/> as a RowSet.</summary>
    private static RowSet RowSetOf(KeyRanges keyRanges, IEnumerable<int> ranges)
    {
        var set = new RowSet();
        foreach (int range in ranges)
        {
            var rowRange = new RowRange();
            if (keyRanges.Start(range) is { } start)
            {
                rowRange.StartKeyClosed = ByteString.CopyFrom(start);
            }

            if (keyRanges.End(range) is { } end)
            {
                rowRange.EndKeyOpen = ByteString.CopyFrom(end);
            }

            set.RowRanges.Add(rowRange);
        }

        return set;
    }
}
