using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.IntegrationTests.Cli;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// The Airflow DAGs of <c>infra/airflow</c>, checked where Airflow cannot be installed: <c>check_dags.py</c> parses
/// them with Python's ast and prints every command line they launch; each then runs through the CLI's own parser and
/// checks with <c>--dry-run</c>, in the pod the DAG describes (<see cref="ManifestRun"/>, as for infra/k8s), against a
/// BigQuery Storage emulator holding the source table and the Bigtable emulator holding the feature table.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class AirflowDagTests
{
    private const string Instance = "projects/example-project/instances/feature-store";
    private readonly List<string> _folders = [];
    private readonly string _featureTable = EmulatorFixture.UniqueName("airflow").Replace('-', '_');

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestCleanup]
    public void DeleteFolders() => _folders.ForEach(f => Directory.Delete(f, recursive: true));

    [TestMethod]
    public async Task Dags_EveryLaunchDryRun_ExitsZero()
    {
        AirflowDags dags = await CheckAsync(AirflowDags.Folder());
        Assert.AreEqual(0, dags.ExitCode, dags.Output);
        Assert.IsEmpty(dags.Problems, string.Join(Environment.NewLine, dags.Problems));
        CollectionAssert.IsSubsetOf(new[] { "infra/airflow task plan", "infra/airflow task migrate", "infra/airflow task verify" }, dags.Launches.Select(l => l.Where).ToList());
        Assert.IsGreaterThanOrEqualTo(2, dags.Launches.Count(l => l.Where.Contains("migrate_day[", StringComparison.Ordinal)), "the daily DAG's mapped days");

        await using FeatureTable table = await FeatureTable.CreateAsync(_featureTable, Cancellation);
        foreach (ManifestContainer launch in dags.Launches)
        {
            CliResult result = await DryRunAsync(launch);

            Assert.AreEqual(0, result.Code, $"{launch}: {string.Join(' ', launch.Args)}{Environment.NewLine}{result.Output}");
            StringAssert.Contains(result.Output, "Dry run", launch.ToString());
        }
    }

    [TestMethod]
    [DataRow("plan", DisplayName = "the plan step")]
    [DataRow("migrate", DisplayName = "a shard of the Indexed Job")]
    [DataRow("verify", DisplayName = "the verify Job")]
    [DataRow("migrate_day[", DisplayName = "a mapped day")]
    public async Task Dags_LaunchWithAnUnknownFlag_DryRunExitsTwo(string task)
    {
        AirflowDags dags = await CheckAsync(AirflowDags.Folder());
        ManifestContainer launch = dags.Launches.First(l => l.Where.Contains("task " + task, StringComparison.Ordinal));

        CliResult result = await DryRunAsync(launch with { Args = [.. launch.Args, "--no-such-flag", "1"] });

        Assert.AreEqual(2, result.Code, result.Output);
        Assert.DoesNotContain("Dry run:", result.Output, "a drifted command line must not pass");
    }

    [TestMethod]
    [DataRow("completion_mode=\"Indexed\",", "", "completion_mode=\"Indexed\"", DisplayName = "the Indexed Job without completion_mode")]
    [DataRow("backoff_limit=1,\n        wait_until_job_complete=True,\n        deferrable=True,", "backoff_limit=1,\n        wait_until_job_complete=True,", "deferrable=True", DisplayName = "the verify Job without deferrable=True")]
    [DataRow("arguments=commands.verify_args(MIGRATION, SNAPSHOT),", "arguments=[\"verify\", \"--source\", \"x\"],", "verify_args", DisplayName = "verify's args written by hand")]
    public async Task Dags_MigrateDagMissingWhatTheBriefAsks_CheckFailsNamingIt(string original, string replacement, string named)
    {
        string copy = CopyOfAirflowFolder();
        string dag = Path.Combine(copy, "dags", "streamingfeatures_migrate.py");
        string text = await File.ReadAllTextAsync(dag, Cancellation);
        Assert.Contains(original, text);
        await File.WriteAllTextAsync(dag, text.Replace(original, replacement, StringComparison.Ordinal), Cancellation);

        AirflowDags dags = await CheckAsync(copy);

        Assert.AreEqual(1, dags.ExitCode, dags.Output);
        Assert.IsTrue(dags.Problems.Any(p => p.Contains("streamingfeatures_migrate.py", StringComparison.Ordinal) && p.Contains(named, StringComparison.Ordinal)), dags.Output);
    }

    [TestMethod]
    public async Task Dags_DailyDagWithoutExpand_CheckFails()
    {
        string copy = CopyOfAirflowFolder();
        string dag = Path.Combine(copy, "dags", "streamingfeatures_daily.py");
        string text = await File.ReadAllTextAsync(dag, Cancellation);
        await File.WriteAllTextAsync(dag, text.Replace(".expand(arguments=partitions())", "(arguments=partitions())", StringComparison.Ordinal), Cancellation);

        AirflowDags dags = await CheckAsync(copy);

        Assert.AreEqual(1, dags.ExitCode, dags.Output);
        Assert.IsTrue(dags.Problems.Any(p => p.Contains(".expand(", StringComparison.Ordinal)), dags.Output);
    }

    private Task<AirflowDags> CheckAsync(string folder) =>
        AirflowDags.CheckAsync(folder, new Dictionary<string, string> { ["streamingfeatures_feature_table"] = _featureTable }, Cancellation);

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
