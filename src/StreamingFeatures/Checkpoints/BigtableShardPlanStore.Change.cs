using System.Globalization;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Checkpoints;

/// <summary>Changing the recorded plan (a compare-and-set on its version cell) and the holder's failure.</summary>
internal sealed partial class BigtableShardPlanStore
{
    public async Task<ShardPlan> ReplaceAsync(ShardPlan current, ShardPlan next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);

        // Only the newest version cell, holding exactly the version the change was made from.
        RowFilter unchanged = Column(s_version, new RowFilter { CellsPerColumnLimitFilter = 1 }, new RowFilter { ValueRegexFilter = ByteString.CopyFromUtf8("^" + Number(current.Version) + "$") });

        // A lost answer retried finds the version moved by its own first attempt: the plan read back tells.
        bool changed = await CheckAndMutateAsync(unchanged, [Delete(s_plan), SetCell(s_plan, next.ToJson()), Delete(s_version), SetCell(s_version, Number(next.Version))], [], "change", cancellationToken).ConfigureAwait(false);
        return changed
            ? next
            : await LoadAsync(cancellationToken).ConfigureAwait(false) ?? throw new CheckpointException($"The shard plan {Description} is gone: it cannot be changed.");
    }

    public Task FailAsync(ShardPlanFailure failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return MutateAsync([Delete(s_failed), SetCell(s_failed, failure.ToJson())], "record the failure in", cancellationToken);
    }

    public async Task<ShardPlanFailure?> LoadFailureAsync(CancellationToken cancellationToken)
    {
        (_, _, string? failed) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return failed is null ? null : ShardPlanFailure.FromJson(failed);
    }

    public Task ClearFailureAsync(CancellationToken cancellationToken) =>
        MutateAsync([Delete(s_failed)], "clear the failure in", cancellationToken);

    private async Task MutateAsync(Mutation[] mutations, string doing, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var request = new MutateRowRequest { TableName = _target.TableName, AppProfileId = _target.AppProfileId ?? string.Empty, RowKey = _rowKey, Mutations = { mutations } };
        await CallAsync(
            "MutateRow",
            attempt => new BigtableClient(_target.Invoker).MutateRowAsync(request, _target.RequestParams, attempt.Deadline, attempt.CancellationToken).ResponseAsync,
            doing,
            cancellationToken).ConfigureAwait(false);
    }

    private static Mutation Delete(ByteString column) =>
        new() { DeleteFromColumn = new Mutation.Types.DeleteFromColumn { FamilyName = BigtableCheckpointStore.Family, ColumnQualifier = column } };

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
