using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// A table on the fixture's Bigtable emulator in the instance a local migration writes to
/// (<c>projects/local/instances/local</c>), read here with plain ReadRows, independently of the CLI.
/// </summary>
internal sealed class TargetTable(string id)
{
    public const string Instance = "projects/local/instances/local";

    /// <summary>The table id, as <c>--table</c> takes it.</summary>
    public string Id { get; } = id;

    public string Name => $"{Instance}/tables/{Id}";

    /// <summary>Calls <paramref name="onRow"/> for every row of a full scan, in key order; false when the table does not exist.</summary>
    public Task<bool> ScanAsync(Action<Row> onRow, CancellationToken cancellationToken) =>
        ScanAsync(new ReadRowsRequest { TableName = Name }, onRow, cancellationToken);

    /// <summary>Rows in the table: a full scan of keys only; 0 when the table does not exist.</summary>
    public async Task<long> CountRowsAsync(CancellationToken cancellationToken)
    {
        long rows = 0;
        var request = new ReadRowsRequest
        {
            TableName = Name,
            Filter = new RowFilter
            {
                Chain = new RowFilter.Types.Chain
                {
                    Filters = { new RowFilter { CellsPerRowLimitFilter = 1 }, new RowFilter { StripValueTransformer = true } },
                },
            },
        };
        await ScanAsync(request, _ => rows++, cancellationToken);
        return rows;
    }

    /// <summary>
    /// The checkpoint a <c>--checkpoint bigtable:TABLE</c> job keeps in this table (its only row), or null while
    /// there is none.
    /// </summary>
    public async Task<MigrationCheckpoint?> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        var checkpoints = new List<MigrationCheckpoint>();
        await ScanAsync(
            row =>
            {
                Cell cell = row.Families.Single(f => f.Name == BigtableCheckpointStore.Family).Columns.Single(c => c.Qualifier.ToStringUtf8() == "json").Cells[0];
                checkpoints.Add(MigrationCheckpoint.FromJson(cell.Value.ToStringUtf8(), row.Key.ToStringUtf8()));
            },
            cancellationToken);
        return checkpoints.Count switch
        {
            0 => null,
            1 => checkpoints[0],
            _ => throw new AssertFailedException($"One job, one checkpoint row; {Name} has {checkpoints.Count}."),
        };
    }

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        using GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        try
        {
            await new BigtableTableAdmin.BigtableTableAdminClient(channel).GetTableAsync(new GetTableRequest { Name = Name }, cancellationToken: cancellationToken);
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Deletes the table; a table that was never created is fine.</summary>
    public async Task DeleteAsync()
    {
        using GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        try
        {
            await new BigtableTableAdmin.BigtableTableAdminClient(channel).DeleteTableAsync(new DeleteTableRequest { Name = Name });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
        }
    }

    private static async Task<bool> ScanAsync(ReadRowsRequest request, Action<Row> onRow, CancellationToken cancellationToken)
    {
        using GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        var merger = new ReadRowsMerger();
        try
        {
            using AsyncServerStreamingCall<ReadRowsResponse> call = new BigtableClient(channel).ReadRows(request, cancellationToken: cancellationToken);
            await foreach (ReadRowsResponse response in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                foreach (Row row in merger.Add(response))
                {
                    onRow(row);
                }
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }

        merger.Complete();
        return true;
    }
}
