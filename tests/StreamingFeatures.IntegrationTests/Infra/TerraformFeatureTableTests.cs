using Google.Cloud.Bigtable.Admin.V2;
using Google.Protobuf;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// The tables in infra/terraform against the tables the engine creates: every file `schema --format terraform`
/// generated is compared, family by family and GC rule by GC rule, with `schema --format json` run in-process on the
/// feature set its header names; the checkpoint table with the one the checkpoint store creates.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TerraformFeatureTableTests
{
    private const string SampleFeatureSet = "samples/feature-sets/user-features.yaml";

    private readonly List<string> _files = [];

    private static TerraformConfiguration Configuration => TerraformPolicyTests.Configuration.Value;

    [TestCleanup]
    public void DeleteFiles() => _files.ForEach(File.Delete);

    [TestMethod]
    public void GeneratedTables_EveryFamilyAndGcRule_MatchTheirFeatureSet()
    {
        var generated = TerraformGeneratedTables.Find(Configuration).ToList();
        Assert.Contains(SampleFeatureSet, generated.Select(g => g.FeatureSet), "the example's table for the sample feature set");

        foreach ((string file, string featureSet, string? table) in generated)
        {
            List<string> problems = TerraformTableCheck.Problems(TerraformGeneratedTables.SchemaJson(featureSet, table), Configuration.Resources);

            Assert.IsEmpty(problems, $"{file} no longer matches {featureSet}; regenerate it with the command in its first line, from the repository root:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        }
    }

    [TestMethod]
    public void TableCheck_FeatureSetWithAnExtraFamilyAndAChangedTtl_NamesBoth()
    {
        string changed = Path.Combine(Path.GetTempPath(), $"drifted-{Guid.NewGuid():N}.yaml");
        _files.Add(changed);
        string yaml = File.ReadAllText(Path.Combine(TerraformConfiguration.RepositoryRoot(), SampleFeatureSet));
        yaml = yaml.Replace("    maxAge: 30d", "    maxAge: 7d", StringComparison.Ordinal)
            .Replace("\nrowKey:", "\n  history:\n    maxAge: 90d\n\nrowKey:", StringComparison.Ordinal)
            + "  - name: last_page\n    family: history\n    type: string\n";
        File.WriteAllText(changed, yaml);

        List<string> problems = TerraformTableCheck.Problems(TerraformGeneratedTables.SchemaJson(changed), Configuration.Resources);

        Assert.HasCount(2, problems, string.Join(Environment.NewLine, problems));
        Assert.Contains(p => p.Contains("family 'history' (GC rule max_age=7776000s) is missing", StringComparison.Ordinal), problems);
        Assert.Contains(p => p.Contains("family 'agg' has GC rule union(max_age=2592000s, max_version=3) in Terraform, the feature set's is union(max_age=604800s, max_version=3)", StringComparison.Ordinal), problems);
    }

    [TestMethod]
    public void TableCheck_TableNotInTerraform_NamesIt()
    {
        List<string> problems = TerraformTableCheck.Problems(TerraformGeneratedTables.SchemaJson(SampleFeatureSet, "other_features"), Configuration.Resources);

        Assert.HasCount(1, problems);
        StringAssert.Contains(problems[0], "table 'other_features' is not in Terraform");
    }

    [TestMethod]
    public void CheckpointTable_Families_AsTheCheckpointStoreCreatesThem()
    {
        // What BigtableCheckpointStore and BigtableShardPlanStore pass to TableProvisioner.EnsureTableAsync.
        var featureSet = new FeatureSetOptions { Table = "migration-checkpoints", Families = { [BigtableCheckpointStore.Family] = new ColumnFamilyOptions { MaxVersions = 1 } } };
        string json = JsonFormatter.Default.Format(new CreateTableRequest { TableId = featureSet.Table, Table = TableProvisioner.TableOf(featureSet) });
        TerraformBlock table = Configuration.OfType("google_bigtable_table").Single(t => t.Name == "checkpoints");
        TerraformBlock name = Configuration.Variables.Single(v => v.Name == "checkpoint_table");

        Assert.AreEqual("migration-checkpoints", name.Body.GetProperty("default").GetString());
        Assert.IsEmpty(TerraformTableCheck.Problems(json, Configuration.Resources, table));
    }
}
