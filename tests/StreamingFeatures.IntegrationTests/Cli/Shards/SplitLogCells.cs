using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.IntegrationTests.Cli.Shards;

/// <summary>The split log, as cells of the plan row in a <c>bigtable:TABLE</c> store.</summary>
internal static class SplitLogCells
{
    /// <summary>The split log's entries (none while there is no plan row).</summary>
    public static async Task<IReadOnlyList<StreamSplit>> SplitsAsync(TargetTable store, CancellationToken cancellationToken) =>
        [.. (await CellsAsync(store, "split-", cancellationToken)).Select(c => StreamSplit.FromJson(c.Value, c.Qualifier))];

    private static async Task<IReadOnlyList<(string Qualifier, string Value)>> CellsAsync(TargetTable store, string prefix, CancellationToken cancellationToken)
    {
        var found = new List<(string, string)>();
        try
        {
            await store.ScanAsync(
                row =>
                {
                    foreach (Google.Cloud.Bigtable.V2.Column column in row.Families.Where(f => f.Name == BigtableCheckpointStore.Family).SelectMany(f => f.Columns))
                    {
                        string qualifier = column.Qualifier.ToStringUtf8();
                        if (qualifier.StartsWith(prefix, StringComparison.Ordinal))
                        {
                            found.Add((qualifier, column.Cells[0].Value.ToStringUtf8()));
                        }
                    }
                },
                cancellationToken);
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
            return [];
        }

        return found;
    }
}
