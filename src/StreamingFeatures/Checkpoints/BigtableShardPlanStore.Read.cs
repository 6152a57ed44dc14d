using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Checkpoints;

/// <summary>Reading the plan row, and the calls' retries and errors.</summary>
internal sealed partial class BigtableShardPlanStore
{
    /// <summary>The claim's holder, the plan's JSON and the holder's failure; each null while absent (a missing table reads as an empty row).</summary>
    private async Task<(string? Claim, string? Plan, string? Failed)> ReadAsync(CancellationToken cancellationToken)
    {
        var request = new ReadRowsRequest
        {
            TableName = _target.TableName,
            AppProfileId = _target.AppProfileId ?? string.Empty,
            Rows = new RowSet { RowKeys = { _rowKey } },
            Filter = new RowFilter { CellsPerColumnLimitFilter = 1 },
        };
        Row? found;
        try
        {
            found = await CallAsync(
                "ReadRows",
                attempt => SingleRowRead.ReadAsync(_target, request, attempt),
                "read",
                cancellationToken).ConfigureAwait(false);
        }
        catch (CheckpointException e) when (e.InnerException is RpcException { StatusCode: StatusCode.NotFound })
        {
            return (null, null, null);
        }

        IEnumerable<Column> columns = found?.Families.FirstOrDefault(f => f.Name == BigtableCheckpointStore.Family)?.Columns ?? [];
        string? Value(Google.Protobuf.ByteString qualifier) => columns.FirstOrDefault(c => c.Qualifier == qualifier)?.Cells.FirstOrDefault()?.Value.ToStringUtf8();
        return (Value(s_claim), Value(s_plan), Value(s_failed));
    }

    /// <summary>A call riding through transient failures; what it could not do is a <see cref="CheckpointException"/>.</summary>
    private async Task<T> CallAsync<T>(string call, Func<Attempt, Task<T>> attempt, string doing, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.ExecuteAsync($"Bigtable {call} (shard plan) on table '{_target.TableId}'", attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new CheckpointException($"Cannot {doing} the shard plan {Description}: {e.StatusCode}: {e.Status.Detail}", e);
        }
        catch (CallGaveUpException e)
        {
            throw new CheckpointException($"Cannot {doing} the shard plan {Description}: {e.Message}", e);
        }
    }
}
