using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>
/// A uniquely named table on the emulator for one phase, deleted on dispose so the emulator's memory does not carry
/// one phase's rows into the next.
/// </summary>
internal sealed class PerfTable : IAsyncDisposable
{
    public const string Instance = "projects/perf/instances/perf";

    private readonly BigtableTableAdmin.BigtableTableAdminClient _admin;

    private PerfTable(BigtableTableAdmin.BigtableTableAdminClient admin, FeatureSetOptions featureSet)
    {
        _admin = admin;
        FeatureSet = featureSet;
    }

    public FeatureSetOptions FeatureSet { get; }

    /// <summary>The full table name MutateRows takes.</summary>
    public string Name => $"{Instance}/tables/{FeatureSet.Table}";

    public static async Task<PerfTable> CreateAsync(GrpcChannel channel, SyntheticSource source, string phase)
    {
        FeatureSetOptions featureSet = source.FeatureSet(UniqueId(phase));
        var admin = new BigtableTableAdmin.BigtableTableAdminClient(channel);
        await TableProvisioner.EnsureTableAsync(admin, Instance, featureSet).ConfigureAwait(false);
        return new PerfTable(admin, featureSet);
    }

    /// <summary>A table id no other run uses (Bigtable allows 50 characters of <c>[-_.a-zA-Z0-9]</c>).</summary>
    public static string UniqueId(string phase) => $"perf-{phase}-{Guid.NewGuid():N}"[..Math.Min(phase.Length + 6 + 20, 50)];

    public async ValueTask DisposeAsync() =>
        await _admin.DeleteTableAsync(new DeleteTableRequest { Name = Name }).ConfigureAwait(false);
}
