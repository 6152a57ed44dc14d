using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.IntegrationTests.Cli;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// A container of infra/k8s or a launch of infra/airflow run through the CLI with <c>--dry-run</c>, in the pod
/// <see cref="ManifestRun"/> makes of it in a temporary folder (deleted after). A migration's dry run reads the source
/// schema, so a <c>--source bigquery:projects/P/datasets/D/tables/T</c> gets a BigQuery Storage emulator serving that
/// table with a row that fits <c>--feature-set</c>, and the Bigtable emulator: no Google Cloud, no credentials.
/// </summary>
internal static class ManifestDryRun
{
    private const string BigQueryScheme = "bigquery:";

    public static async Task<CliResult> RunAsync(ManifestContainer container, KubernetesManifests manifests, CancellationToken cancellationToken)
    {
        string root = Directory.CreateTempSubdirectory("sf-manifest-").FullName;
        try
        {
            ManifestRun run = ManifestRun.Prepare(container, manifests, root);
            await using BigQueryStorageEmulator? bigQuery = await SourceEmulatorAsync(run, cancellationToken);
            var environment = new Dictionary<string, string>(run.Environment);
            if (bigQuery is not null)
            {
                // Test infrastructure, not part of the manifest or the DAG: the dry run reads the source's schema without Google Cloud.
                environment[CliProcess.BigQueryHostVariable] = bigQuery.Endpoint;
                environment[CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint;
            }

            return await CliProcess.RunAsync(run.WorkingDirectory, [.. run.Args, "--dry-run"], environment, cancellationToken);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>For a BigQuery <c>--source</c>, an emulator serving that table with a row that fits <c>--feature-set</c>; else null.</summary>
    private static async Task<BigQueryStorageEmulator?> SourceEmulatorAsync(ManifestRun run, CancellationToken cancellationToken)
    {
        int source = run.Args.IndexOf("--source");
        if (source < 0 || !run.Args[source + 1].StartsWith(BigQueryScheme, StringComparison.Ordinal))
        {
            return null;
        }

        string[] name = run.Args[source + 1][BigQueryScheme.Length..].Split('/');
        string featureSet = run.Args[run.Args.IndexOf("--feature-set") + 1];
        BigQueryStorageEmulator emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), cancellationToken);
        try
        {
            emulator.AddTable(name[1], name[3], name[5], await FeatureSetRows.CsvSourceAsync(featureSet, run.Root, cancellationToken));
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }
}
