using System.Globalization;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// The split log in the plan row: entry <c>n</c> in column <c>split-n</c>, written by one CheckAndMutateRow only
/// while that column is absent, so of two shards writing the same index exactly one succeeds; a shard's request for
/// work in column <c>want-k</c>, replaced by each request.
/// </summary>
internal sealed partial class BigtableShardPlanStore
{
    private const string SplitPrefix = "split-";
    private const string WantPrefix = "want-";

    public async Task<StreamSplitLog> LoadSplitsAsync(CancellationToken cancellationToken)
    {
        var request = new ReadRowsRequest
        {
            TableName = _target.TableName,
            AppProfileId = _target.AppProfileId ?? string.Empty,
            Rows = new RowSet { RowKeys = { _rowKey } },
            Filter = new RowFilter
            {
                Chain = new RowFilter.Types.Chain
                {
                    Filters =
                    {
                        new RowFilter { ColumnQualifierRegexFilter = ByteString.CopyFromUtf8("(split|want)-[0-9]+") },
                        new RowFilter { CellsPerColumnLimitFilter = 1 },
                    },
                },
            },
        };
        Row? found;
        try
        {
            found = await CallAsync("ReadRows", attempt => SingleRowRead.ReadAsync(_target, request, attempt), "read the split log of", cancellationToken).ConfigureAwait(false);
        }
        catch (CheckpointException e) when (e.InnerException is RpcException { StatusCode: StatusCode.NotFound })
        {
            return StreamSplitLog.Empty;
        }

        var entries = new Dictionary<int, StreamSplit>();
        var wants = new Dictionary<int, StreamSplit.Want>();
        foreach (Column column in found?.Families.FirstOrDefault(f => f.Name == BigtableCheckpointStore.Family)?.Columns ?? [])
        {
            string qualifier = column.Qualifier.ToStringUtf8();
            string? value = column.Cells.FirstOrDefault()?.Value.ToStringUtf8();
            if (value is null)
            {
                continue;
            }

            if (qualifier.StartsWith(SplitPrefix, StringComparison.Ordinal) && Number(qualifier[SplitPrefix.Length..]) is { } index)
            {
                entries[index] = StreamSplit.FromJson(value, $"{Description} column '{qualifier}'");
            }
            else if (qualifier.StartsWith(WantPrefix, StringComparison.Ordinal) && Number(qualifier[WantPrefix.Length..]) is { } shard && StreamSplit.Want.Parse(value) is { } want)
            {
                wants[shard] = want;
            }
        }

        return new StreamSplitLog(entries, wants);
    }

    public async Task<bool> TryAddSplitAsync(int index, StreamSplit entry, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(entry);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        ByteString column = ByteString.CopyFromUtf8(SplitPrefix + index.ToString("D6", CultureInfo.InvariantCulture));
        if (!await CheckAndMutateAsync(Column(column), [], [SetCell(column, entry.ToJson())], "write the split log of", cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        // Taken, or this call's own answer was lost and a retry found its cell: the entry says which.
        StreamSplitLog log = await LoadSplitsAsync(cancellationToken).ConfigureAwait(false);
        return log.Entries.TryGetValue(index, out StreamSplit? there) && there == entry;
    }

    public async Task WantWorkAsync(int shard, StreamSplit.Want want, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentNullException.ThrowIfNull(want);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var request = new MutateRowRequest
        {
            TableName = _target.TableName,
            AppProfileId = _target.AppProfileId ?? string.Empty,
            RowKey = _rowKey,
            Mutations = { SetCell(ByteString.CopyFromUtf8(WantPrefix + shard.ToString(CultureInfo.InvariantCulture)), want.ToText()) },
        };
        await CallAsync(
            "MutateRow",
            attempt => new BigtableClient(_target.Invoker).MutateRowAsync(request, _target.RequestParams, attempt.Deadline, attempt.CancellationToken).ResponseAsync,
            "write a request for work to",
            cancellationToken).ConfigureAwait(false);
    }

    private static int? Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number : null;
}
