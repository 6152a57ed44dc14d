using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Emulators.BigQuery;
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
        string root = Directory.CreateTempSubdirectory("sf-airflow-run-").FullName;
        _folders.Add(root);
        KubernetesManifests manifests = KubernetesManifests.Load(Directory.CreateDirectory(Path.Combine(root, "no-manifests")).FullName);
        foreach (string configMap in launch.Mounts.Select(m => m.ConfigMap).OfType<string>())
        {
            manifests.ConfigMaps[configMap] = new(StringComparer.Ordinal) { ["feature-set.yaml"] = await File.ReadAllTextAsync(SampleFeatureSet(), Cancellation) };
        }

        ManifestRun run = ManifestRun.Prepare(launch, manifests, root);
        string[] name = run.Args[run.Args.IndexOf("--source") + 1]["bigquery:".Length..].Split('/');
        await using BigQueryStorageEmulator bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), Cancellation);
        bigQuery.AddTable(name[1], name[3], name[5], await FeatureSetRows.CsvSourceAsync(run.Args[run.Args.IndexOf("--feature-set") + 1], root, Cancellation));
        var environment = new Dictionary<string, string>(run.Environment)
        {
            // Test infrastructure, not part of the DAG: the dry run reads the source's schema without Google Cloud.
            [CliProcess.BigQueryHostVariable] = bigQuery.Endpoint,
            [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint,
        };
        return await CliProcess.RunAsync(run.WorkingDirectory, [.. run.Args, "--dry-run"], environment, Cancellation);
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
