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
/// A shard plan as a row of the checkpoint table (family <c>checkpoint</c>): column <c>claim</c> names the shard
/// creating the session, column <c>plan</c> holds it and <c>version</c> its version, <c>failed</c> the holder's
/// failure. The claim is one CheckAndMutateRow that writes it only into an empty row, so of shards starting together
/// exactly one creates the session; the others read the holder and wait. Later changes are CheckAndMutateRow on the
/// version cell.
/// </summary>
internal sealed partial class BigtableShardPlanStore : IShardPlanStore
{
    private static readonly ByteString s_claim = ByteString.CopyFromUtf8("claim");
    private static readonly ByteString s_plan = ByteString.CopyFromUtf8("plan");
    private static readonly ByteString s_version = ByteString.CopyFromUtf8("version");
    private static readonly ByteString s_failed = ByteString.CopyFromUtf8("failed");

    private readonly BigtableTarget _target;
    private readonly CallInvoker _admin;
    private readonly ByteString _rowKey;
    private readonly CallRetryOptions _retryOptions;
    private readonly CallRetry _retry;
    private bool _ensured;

    /// <summary>A store for plan row <paramref name="planId"/> of the target table (the checkpoint table), created when missing.</summary>
    public BigtableShardPlanStore(BigtableTarget target, CallInvoker admin, string planId, CallRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentException.ThrowIfNullOrWhiteSpace(planId);
        _target = target;
        _admin = admin;
        _rowKey = ByteString.CopyFromUtf8(planId);
        _retryOptions = retry ?? CallRetryOptions.Checkpoint;
        _retry = new CallRetry(_retryOptions, TimeProvider.System);
    }

    public string Description => $"{_target.TableName} row '{_rowKey.ToStringUtf8()}'";

    public async Task<string> ClaimAsync(string claimant, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimant);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        // Any cell in the row (a claim or a plan) and nothing is written.
        var anyCell = new RowFilter { FamilyNameRegexFilter = BigtableCheckpointStore.Family };
        if (!await CheckAndMutateAsync(anyCell, [], [SetCell(s_claim, claimant)], "claim", cancellationToken).ConfigureAwait(false))
        {
            return claimant;
        }

        // Someone claimed it first, or this claim's answer was lost and a retry found it: the cell says which.
        (string? holder, _, _) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return holder ?? "another shard";
    }

    public async Task<ShardPlan?> LoadAsync(CancellationToken cancellationToken)
    {
        (_, string? plan, _) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return plan is null ? null : ShardPlan.FromJson(plan, Description);
    }

    public async Task<ShardPlan> SaveAsync(ShardPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        // A plan cell already there (another holder's, or this call's own answer lost and retried): written nothing.
        bool there = await CheckAndMutateAsync(Column(s_plan), [], [SetCell(s_plan, plan.ToJson()), SetCell(s_version, plan.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))], "write", cancellationToken).ConfigureAwait(false);
        return there
            ? await LoadAsync(cancellationToken).ConfigureAwait(false) ?? throw new CheckpointException($"The shard plan {Description} was recorded but cannot be read back.")
            : plan;
    }

    /// <summary>One CheckAndMutateRow on the plan row: <paramref name="matched"/> when <paramref name="predicate"/> yields a cell, else <paramref name="otherwise"/>; true when it matched.</summary>
    private async Task<bool> CheckAndMutateAsync(RowFilter predicate, Mutation[] matched, Mutation[] otherwise, string what, CancellationToken cancellationToken)
    {
        var request = new CheckAndMutateRowRequest
        {
            TableName = _target.TableName,
            AppProfileId = _target.AppProfileId ?? string.Empty,
            RowKey = _rowKey,
            PredicateFilter = predicate,
            TrueMutations = { matched },
            FalseMutations = { otherwise },
        };
        CheckAndMutateRowResponse response = await CallAsync(
            "CheckAndMutateRow",
            attempt => new BigtableClient(_target.Invoker).CheckAndMutateRowAsync(request, _target.RequestParams, attempt.Deadline, attempt.CancellationToken).ResponseAsync,
            what,
            cancellationToken).ConfigureAwait(false);
        return response.PredicateMatched;
    }

    /// <summary>The cells of <paramref name="column"/> of the plan row, narrowed by <paramref name="more"/>.</summary>
    private static RowFilter Column(ByteString column, params RowFilter[] more) => new()
    {
        Chain = new RowFilter.Types.Chain
        {
            Filters = { new RowFilter { FamilyNameRegexFilter = BigtableCheckpointStore.Family }, new RowFilter { ColumnQualifierRegexFilter = column }, more },
        },
    };

    private static Mutation SetCell(ByteString column, string value) => new()
    {
        SetCell = new Mutation.Types.SetCell
        {
            FamilyName = BigtableCheckpointStore.Family,
            ColumnQualifier = column,
            TimestampMicros = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000,
            Value = ByteString.CopyFromUtf8(value),
        },
    };

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_ensured)
        {
            return;
        }

        int tables = _target.TableName.LastIndexOf("/tables/", StringComparison.Ordinal);
        var featureSet = new FeatureSetOptions { Table = _target.TableId, Families = { [BigtableCheckpointStore.Family] = new ColumnFamilyOptions { MaxVersions = 1 } } };
        try
        {
            await TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(_admin), _target.TableName[..tables], featureSet, cancellationToken, _retryOptions).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new CheckpointException($"Cannot create the checkpoint table {_target.TableName}: {e.StatusCode}: {e.Status.Detail}", e);
        }
        catch (CallGaveUpException e)
        {
            throw new CheckpointException($"Cannot create the checkpoint table {_target.TableName}: {e.Message}", e);
        }

        _ensured = true;
    }
}
