using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.IntegrationTests.Cli;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>How a launch runs: in its pod, against emulators holding the source and the feature table.</summary>
public sealed partial class AirflowDagTests
{
    private string CopyOfAirflowFolder()
    {
        string root = Directory.CreateTempSubdirectory("sf-airflow-").FullName;
        _folders.Add(root);
        foreach (string file in Directory.EnumerateFiles(AirflowDags.Folder(), "*", SearchOption.AllDirectories).Where(f => !f.Contains("__pycache__", StringComparison.Ordinal)))
        {
            string target = Path.Combine(root, Path.GetRelativePath(AirflowDags.Folder(), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return root;
    }

    /// <summary>The launch in its pod, with <c>--dry-run</c>; its feature-set ConfigMap holds the sample feature set.</summary>
    private async Task<CliResult> DryRunAsync(ManifestContainer launch)
    {
        var manifests = new KubernetesManifests();
        string featureSet = await File.ReadAllTextAsync(SampleFeatureSet(), Cancellation);
        foreach (string configMap in launch.Mounts.Select(m => m.ConfigMap).OfType<string>())
        {
            manifests.ConfigMaps[configMap] = new(StringComparer.Ordinal) { ["feature-set.yaml"] = featureSet };
        }

        return await ManifestDryRun.RunAsync(launch, manifests, Cancellation);
    }

    private static string SampleFeatureSet() =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(KubernetesManifests.RepositoryFolder()))!, "samples", "feature-sets", "user-features.yaml");

    /// <summary>The DAGs' feature table on the Bigtable emulator, which verify's dry run opens; deleted after.</summary>
    private sealed class FeatureTable(GrpcChannel channel, string name) : IAsyncDisposable
    {
        public static async Task<FeatureTable> CreateAsync(string table, CancellationToken cancellationToken)
        {
            GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
            FeatureSetOptions featureSet = FeatureSetLoader.Load(SampleFeatureSet());
            featureSet.Table = table;
            await TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(channel), Instance, featureSet, cancellationToken);
            return new FeatureTable(channel, $"{Instance}/tables/{table}");
        }

        public async ValueTask DisposeAsync()
        {
            await new BigtableTableAdmin.BigtableTableAdminClient(channel).DeleteTableAsync(new DeleteTableRequest { Name = name }).ResponseAsync;
            channel.Dispose();
        }
    }
}
