using StreamingFeatures.IntegrationTests.Cli;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// The Airflow DAGs of <c>infra/airflow</c>, checked where Airflow cannot be installed: <c>check_dags.py</c> parses
/// them with Python's ast and prints every command line they launch; each then runs through the CLI's own parser and
/// checks with <c>--dry-run</c>, in the pod the DAG describes (<see cref="ManifestDryRun"/>, as for infra/k8s), against a
/// BigQuery Storage emulator holding the source table and the Bigtable emulator holding the feature table.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class AirflowDagTests
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
}
