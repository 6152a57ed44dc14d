using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Resilience;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Checkpoints;

/// <summary>
/// A checkpoint as one cell of a Bigtable table (row = the checkpoint id, family <c>checkpoint</c>, column
/// <c>json</c>), for jobs whose pods have no durable disk. A save is one MutateRow — atomic for the row — that
/// replaces the cell; the cell's timestamp is the checkpoint's sequence number, so a late save from a killed run
/// cannot shadow a newer one. Every call rides through transient failures (a refused or reset connection, a stall)
/// within its retry deadline (<see cref="CallRetryOptions.Checkpoint"/> by default: 2 min, 30 s per attempt); past it
/// the <see cref="CheckpointException"/> names the call that gave up.
/// </summary>
public sealed class BigtableCheckpointStore : ICheckpointStore
{
    public const string Family = "checkpoint";
    private const string TablesSegment = "/tables/";
    private static readonly ByteString s_qualifier = ByteString.CopyFromUtf8("json");

    private readonly BigtableTarget _target;
    private readonly CallInvoker _admin;
    private readonly string _instanceName;
    private readonly string _tableId;
    private readonly ByteString _rowKey;
    private readonly CallRetryOptions _retryOptions;
    private readonly CallRetry _retry;
    private bool _ensured;

    /// <summary>A store for checkpoint row <paramref name="checkpointId"/> of the target table, which it creates on its first save.</summary>
    /// <exception cref="ArgumentException">The table is not named in full, or the checkpoint id is blank.</exception>
    public BigtableCheckpointStore(BigtableTarget target, CallInvoker admin, string checkpointId, CallRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointId);
        int tables = target.TableName.LastIndexOf(TablesSegment, StringComparison.Ordinal);
        if (tables <= 0 || string.IsNullOrWhiteSpace(target.TableId))
        {
            throw new ArgumentException($"The checkpoint table must be named in full (projects/P/instances/I/tables/T), not '{target.TableName}'.", nameof(target));
        }

        _target = target;
        _admin = admin;
        _instanceName = target.TableName[..tables];
        _tableId = target.TableId;
        _rowKey = ByteString.CopyFromUtf8(checkpointId);
        _retryOptions = retry ?? CallRetryOptions.Checkpoint;
        _retry = new CallRetry(_retryOptions, TimeProvider.System);
    }

    public string TableName => _target.TableName;

    public string Description => $"{TableName} row '{_rowKey.ToStringUtf8()}'";

    public async Task<MigrationCheckpoint?> LoadAsync(CancellationToken cancellationToken)
    {
        var request = new ReadRowsRequest
        {
            TableName = TableName,
            AppProfileId = _target.AppProfileId ?? string.Empty,
            Rows = new RowSet { RowKeys = { _rowKey } },
            Filter = new RowFilter { CellsPerColumnLimitFilter = 1 },
        };
        try
        {
            Row? found = await _retry.ExecuteAsync(
                $"Bigtable ReadRows (checkpoint) on table '{_tableId}'",
                attempt => SingleRowRead.ReadAsync(_target, request, attempt),
                cancellationToken).ConfigureAwait(false);
            Cell? cell = found?.Families.FirstOrDefault(f => f.Name == Family)?.Columns.FirstOrDefault(c => c.Qualifier == s_qualifier)?.Cells.FirstOrDefault();
            return cell is null ? null : MigrationCheckpoint.FromJson(cell.Value.ToStringUtf8(), Description);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException e)
        {
            throw new CheckpointException($"Cannot read the checkpoint {Description}: {e.StatusCode}: {e.Status.Detail}", e);
        }
        catch (CallGaveUpException e)
        {
            throw new CheckpointException($"Cannot read the checkpoint {Description}: {e.Message}", e);
        }
    }

    public async Task SaveAsync(MigrationCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var request = new MutateRowRequest
        {
            TableName = TableName,
            AppProfileId = _target.AppProfileId ?? string.Empty,
            RowKey = _rowKey,
            Mutations =
            {
                new Mutation { DeleteFromColumn = new Mutation.Types.DeleteFromColumn { FamilyName = Family, ColumnQualifier = s_qualifier } },
                new Mutation
                {
                    SetCell = new Mutation.Types.SetCell
                    {
                        FamilyName = Family,
                        ColumnQualifier = s_qualifier,
                        TimestampMicros = checkpoint.Sequence * 1000,
                        Value = ByteString.CopyFromUtf8(checkpoint.ToJson()),
                    },
                },
            },
        };
        try
        {
            // Idempotent: the cell's timestamp is the sequence number, so a save resent after a lost answer is the same save.
            await _retry.ExecuteAsync(
                $"Bigtable MutateRow (checkpoint) on table '{_tableId}'",
                attempt => new BigtableClient(_target.Invoker).MutateRowAsync(request, _target.RequestParams, attempt.Deadline, attempt.CancellationToken).ResponseAsync,
                cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new CheckpointException($"Cannot write the checkpoint {Description}: {e.StatusCode}: {e.Status.Detail}", e);
        }
        catch (CallGaveUpException e)
        {
            throw new CheckpointException($"Cannot write the checkpoint {Description}: {e.Message}", e);
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_ensured)
        {
            return;
        }

        var featureSet = new FeatureSetOptions { Table = _tableId, Families = { [Family] = new ColumnFamilyOptions { MaxVersions = 1 } } };
        try
        {
            await TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(_admin), _instanceName, featureSet, cancellationToken, _retryOptions).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new CheckpointException($"Cannot create the checkpoint table {TableName}: {e.StatusCode}: {e.Status.Detail}", e);
        }
        catch (CallGaveUpException e)
        {
            throw new CheckpointException($"Cannot create the checkpoint table {TableName}: {e.Message}", e);
        }

        _ensured = true;
    }
}
