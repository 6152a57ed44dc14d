using System.Text.Json;
using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Perf.Serve;

/// <summary>
/// The table every variant reads: one row per entity, written through the engine's IngestionPipeline into the
/// instance the CLI uses on the emulator (<c>local</c>), so <c>streamingfeatures serve</c> finds it; its feature set
/// is also written as a JSON file for <c>serve --feature-set</c>. Deleted on dispose.
/// </summary>
internal sealed class ServeTable : IAsyncDisposable
{
    public const string Instance = "projects/local/instances/local";

    private readonly BigtableTableAdmin.BigtableTableAdminClient _admin;
    private readonly string _folder;

    private ServeTable(BigtableTableAdmin.BigtableTableAdminClient admin, FeatureSetOptions featureSet, string folder)
    {
        _admin = admin;
        FeatureSet = featureSet;
        _folder = folder;
    }

    public FeatureSetOptions FeatureSet { get; }

    public string Name => $"{Instance}/tables/{FeatureSet.Table}";

    public string FeatureSetFile => Path.Combine(_folder, "feature-set.json");

    /// <summary>Writes <paramref name="entities"/> rows of <paramref name="features"/> mixed-type features (strings of 16 bytes).</summary>
    public static async Task<ServeTable> LoadAsync(GrpcChannel channel, long entities, int features)
    {
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = entities, Features = features, ValueBytes = 16 });
        FeatureSetOptions featureSet = source.FeatureSet(Pipeline.PerfTable.UniqueId("serve"));
        var admin = new BigtableTableAdmin.BigtableTableAdminClient(channel);
        await TableProvisioner.EnsureTableAsync(admin, Instance, featureSet).ConfigureAwait(false);
        string folder = Directory.CreateTempSubdirectory("sf-perf-serve-").FullName;
        var table = new ServeTable(admin, featureSet, folder);
        await File.WriteAllTextAsync(table.FeatureSetFile, Json(featureSet)).ConfigureAwait(false);

        var deadLetters = new CollectingDeadLetterSink(capacity: 10);
        using var metrics = new PipelineMetrics();
        var pipeline = new IngestionPipeline(featureSet, source, new BigtableTarget(channel.CreateCallInvoker(), table.Name), deadLetters, new PipelineOptions(), metrics);
        PipelineResult result = await pipeline.RunAsync().ConfigureAwait(false);
        if (result.Report.RowsWritten != entities || result.Report.DeadLettered != 0)
        {
            throw new InvalidOperationException($"Loading {table.Name} wrote {result.Report.RowsWritten} of {entities} rows and dead-lettered {result.Report.DeadLettered}: {string.Join("; ", deadLetters.Kept.Take(3))}");
        }

        return table;
    }

    /// <summary>The feature set as the CLI's loader reads it (the sample files' shape).</summary>
    private static string Json(FeatureSetOptions featureSet) => JsonSerializer.Serialize(new
    {
        table = featureSet.Table,
        entityKey = featureSet.EntityKey[0],
        eventTime = featureSet.EventTime,
        families = featureSet.Families.ToDictionary(f => f.Key, f => new { maxVersions = f.Value.MaxVersions }),
        features = featureSet.Features.Select(f => new { name = f.Name, family = f.Family, type = f.Type.ToString().ToLowerInvariant() }),
    });

    public async ValueTask DisposeAsync()
    {
        await _admin.DeleteTableAsync(new DeleteTableRequest { Name = Name }).ConfigureAwait(false);
        Directory.Delete(_folder, recursive: true);
    }
}
