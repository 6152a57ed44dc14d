using Google.Cloud.Bigtable.Admin.V2;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Bigtable;

/// <summary>Creates a feature set's table, and its column families with their GC policies, where missing.</summary>
public static class TableProvisioner
{
    /// <summary>
    /// Ensures <c>{instance}/tables/{featureSet.Table}</c> exists with every family the feature set declares. Existing
    /// families keep their GC policy (changing one is an operator's decision). Returns true when anything was created.
    /// Each admin call rides through transient failures (a refused or reset connection) within
    /// <paramref name="retry"/>'s deadline, <see cref="CallRetryOptions.BigtableAdmin"/> by default.
    /// </summary>
    /// <exception cref="CallGaveUpException">An admin call kept failing transiently past its deadline.</exception>
    public static async Task<bool> EnsureTableAsync(
        BigtableTableAdmin.BigtableTableAdminClient admin,
        string instanceName,
        FeatureSetOptions featureSet,
        CancellationToken cancellationToken = default,
        CallRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(featureSet);
        string tableName = $"{instanceName}/tables/{featureSet.Table}";
        var calls = new CallRetry(retry ?? CallRetryOptions.BigtableAdmin, TimeProvider.System);
        string on = $" on table '{featureSet.Table}'";
        Table? existing = await GetTableAsync(admin, calls, tableName, "Bigtable GetTable" + on, cancellationToken).ConfigureAwait(false);

        if (existing is null)
        {
            Table table = TableOf(featureSet);
            try
            {
                var create = new CreateTableRequest { Parent = instanceName, TableId = featureSet.Table, Table = table };
                await calls.ExecuteAsync(
                    "Bigtable CreateTable" + on,
                    attempt => admin.CreateTableAsync(create, deadline: attempt.Deadline, cancellationToken: attempt.CancellationToken).ResponseAsync,
                    cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
            {
                // Another shard of the same job created it first (or our own attempt did, and its answer was lost).
                existing = await GetTableAsync(admin, calls, tableName, "Bigtable GetTable" + on, cancellationToken).ConfigureAwait(false)
                    ?? throw new RpcException(new Status(StatusCode.NotFound, $"Table {tableName} was reported to exist, then not found."));
            }
        }

        var missing = new ModifyColumnFamiliesRequest { Name = tableName };
        foreach (var (name, family) in featureSet.Families)
        {
            if (!existing.ColumnFamilies.ContainsKey(name))
            {
                missing.Modifications.Add(new ModifyColumnFamiliesRequest.Types.Modification { Id = name, Create = new ColumnFamily { GcRule = GcRuleOf(family) } });
            }
        }

        if (missing.Modifications.Count == 0)
        {
            return false;
        }

        await calls.ExecuteAsync(
            "Bigtable ModifyColumnFamilies" + on,
            attempt => admin.ModifyColumnFamiliesAsync(missing, deadline: attempt.Deadline, cancellationToken: attempt.CancellationToken).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Provisions the feature set's table as <paramref name="provisioning"/> allows: creates what is missing, or only
    /// checks that the table exists. Returns true when anything was created.
    /// </summary>
    /// <exception cref="TableMissingException">The table does not exist and may not be created.</exception>
    /// <exception cref="CallGaveUpException">An admin call kept failing transiently past its deadline.</exception>
    public static async Task<bool> ProvisionAsync(
        BigtableTableAdmin.BigtableTableAdminClient admin,
        string instanceName,
        FeatureSetOptions featureSet,
        TableProvisioning provisioning,
        CancellationToken cancellationToken = default,
        CallRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(featureSet);
        if (provisioning == TableProvisioning.Create)
        {
            return await EnsureTableAsync(admin, instanceName, featureSet, cancellationToken, retry).ConfigureAwait(false);
        }

        string tableName = $"{instanceName}/tables/{featureSet.Table}";
        if (!await ExistsAsync(admin, tableName, cancellationToken, retry).ConfigureAwait(false))
        {
            throw new TableMissingException(tableName);
        }

        return false;
    }

    /// <summary>Whether the table exists, riding through transient failures like <see cref="EnsureTableAsync"/>.</summary>
    /// <exception cref="CallGaveUpException">GetTable kept failing transiently past its deadline.</exception>
    public static async Task<bool> ExistsAsync(BigtableTableAdmin.BigtableTableAdminClient admin, string tableName, CancellationToken cancellationToken = default, CallRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        var calls = new CallRetry(retry ?? CallRetryOptions.BigtableAdmin, TimeProvider.System);
        string call = $"Bigtable GetTable on table '{tableName[(tableName.LastIndexOf('/') + 1)..]}'";
        return await GetTableAsync(admin, calls, tableName, call, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The table's schema, or null when it does not exist.</summary>
    private static Task<Table?> GetTableAsync(BigtableTableAdmin.BigtableTableAdminClient admin, CallRetry calls, string tableName, string call, CancellationToken cancellationToken) =>
        calls.ExecuteAsync<Table?>(
            call,
            async attempt =>
            {
                try
                {
                    return await admin.GetTableAsync(new GetTableRequest { Name = tableName, View = Table.Types.View.SchemaView }, deadline: attempt.Deadline, cancellationToken: attempt.CancellationToken).ConfigureAwait(false);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    return null;
                }
            },
            cancellationToken);

    /// <summary>
    /// The table <paramref name="featureSet"/> needs: every family it declares with its GC policy. What the engine
    /// creates and what <c>streamingfeatures schema</c> gives infrastructure as code, so the two cannot disagree.
    /// </summary>
    public static Table TableOf(FeatureSetOptions featureSet)
    {
        ArgumentNullException.ThrowIfNull(featureSet);
        var table = new Table();
        foreach (var (name, family) in featureSet.Families.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            table.ColumnFamilies[name] = new ColumnFamily { GcRule = GcRuleOf(family) };
        }

        return table;
    }

    /// <summary>Max versions, max age, or their union (a cell goes when either rule applies); none keeps everything.</summary>
    public static GcRule GcRuleOf(ColumnFamilyOptions family)
    {
        ArgumentNullException.ThrowIfNull(family);
        GcRule? versions = family.MaxVersions is { } n ? new GcRule { MaxNumVersions = n } : null;
        GcRule? age = family.MaxAge is { } ttl ? new GcRule { MaxAge = Duration.FromTimeSpan(ttl) } : null;
        return (versions, age) switch
        {
            ({ } v, { } a) => new GcRule { Union = new GcRule.Types.Union { Rules = { v, a } } },
            ({ } v, null) => v,
            (null, { } a) => a,
            _ => new GcRule(),
        };
    }
}
