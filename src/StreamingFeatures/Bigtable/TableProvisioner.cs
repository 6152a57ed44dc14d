using Google.Cloud.Bigtable.Admin.V2;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Bigtable;

/// <summary>Creates a feature set's table, and its column families with their GC policies, where missing.</summary>
public static class TableProvisioner
{
    /// <summary>
    /// Ensures <c>{instance}/tables/{featureSet.Table}</c> exists with every family the feature set declares. Existing
    /// families keep their GC policy (changing one is an operator's decision). Returns true when anything was created.
    /// </summary>
    public static async Task<bool> EnsureTableAsync(
        BigtableTableAdmin.BigtableTableAdminClient admin,
        string instanceName,
        FeatureSetOptions featureSet,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(featureSet);
        string tableName = $"{instanceName}/tables/{featureSet.Table}";
        Table? existing;
        try
        {
            existing = await admin.GetTableAsync(new GetTableRequest { Name = tableName, View = Table.Types.View.SchemaView }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            existing = null;
        }

        if (existing is null)
        {
            var table = new Table();
            foreach (var (name, family) in featureSet.Families)
            {
                table.ColumnFamilies[name] = new ColumnFamily { GcRule = GcRuleOf(family) };
            }

            try
            {
                await admin.CreateTableAsync(new CreateTableRequest { Parent = instanceName, TableId = featureSet.Table, Table = table }, cancellationToken: cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
            {
                // Another shard of the same job created it first.
                existing = await admin.GetTableAsync(new GetTableRequest { Name = tableName, View = Table.Types.View.SchemaView }, cancellationToken: cancellationToken).ConfigureAwait(false);
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

        await admin.ModifyColumnFamiliesAsync(missing, cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
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
