using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Jobs;

/// <summary>What every job does with its table before it reads anything, and how a host probes it while it runs.</summary>
internal static class JobTable
{
    /// <summary>
    /// Creates the feature set's table and families where missing, or with <see cref="TableProvisioning.Forbid"/> only
    /// checks that the table exists. Returns true when anything was created.
    /// </summary>
    /// <exception cref="TableMissingException">The table is missing and may not be created.</exception>
    /// <exception cref="CallGaveUpException">An admin call kept failing transiently past its deadline.</exception>
    public static async Task<bool> ProvisionAsync(
        BigtableConnection bigtable,
        FeatureSetOptions featureSet,
        TableProvisioning provisioning,
        CancellationToken cancellationToken,
        CallRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(bigtable);
        ArgumentNullException.ThrowIfNull(featureSet);
        var admin = new BigtableTableAdmin.BigtableTableAdminClient(bigtable.Admin);
        return await TableProvisioner.ProvisionAsync(admin, bigtable.InstanceName, featureSet, provisioning, cancellationToken, retry).ConfigureAwait(false);
    }

    /// <summary>A readiness probe: ReadRows of at most one row, which any reachable table answers at once.</summary>
    public static async Task ProbeAsync(BigtableConnection bigtable, string tableName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bigtable);
        var client = new Google.Cloud.Bigtable.V2.Bigtable.BigtableClient(bigtable.Data);
        using AsyncServerStreamingCall<ReadRowsResponse> call = client.ReadRows(
            new ReadRowsRequest { TableName = tableName, RowsLimit = 1, AppProfileId = bigtable.AppProfileId ?? string.Empty },
            cancellationToken: cancellationToken);
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
        }
    }
}
