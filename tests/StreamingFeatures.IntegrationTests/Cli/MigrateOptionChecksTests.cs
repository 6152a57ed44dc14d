using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Cli.Options;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// The checks behind migrate's one-line errors, without a process: table names, settings, and output paths on real
/// files (the option parsers and variable checks are in the fast tests).
/// </summary>
[TestClass]
public sealed class MigrateOptionChecksTests
{
    [TestMethod]
    [DataRow("projects/my-project/datasets/sales_2026/tables/daily", "projects/my-project/datasets/sales_2026/tables/daily")]
    [DataRow("my-project.sales_2026.daily", "projects/my-project/datasets/sales_2026/tables/daily")]
    [DataRow("`my-project.sales_2026.daily`", "projects/my-project/datasets/sales_2026/tables/daily")]
    [DataRow("my-project:sales_2026.daily", "projects/my-project/datasets/sales_2026/tables/daily")]
    [DataRow("example.com:my-project:sales.daily", "projects/example.com:my-project/datasets/sales/tables/daily")]
    [DataRow(" p.d.t-1 ", "projects/p/datasets/d/tables/t-1")]
    public void Normalize_PastedForms_ApiForm(string text, string expected) =>
        Assert.AreEqual(expected, BigQueryTableName.Normalize(text));

    [TestMethod]
    [DataRow("my-project.dataset")]
    [DataRow("a.b.c.d")]
    [DataRow("my-project/dataset/table")]
    [DataRow("projects/p/datasets/d")]
    [DataRow("p.data-set.t")]
    [DataRow("p:d")]
    [DataRow("")]
    public void Normalize_NotATable_Null(string text) => Assert.IsNull(BigQueryTableName.Normalize(text));

    [TestMethod]
    public void Problems_LocalWithProjectAndInstance_NamesBoth()
    {
        MigrationSettings settings = Settings() with { Local = true, Project = "prod", Instance = "serving" };

        string problem = settings.Problems().Single();

        StringAssert.StartsWith(problem, "--local runs on the emulator, but --project prod --instance serving names a Google Cloud instance");
    }

    [TestMethod]
    public void Problems_ProjectWithoutLocal_None() =>
        Assert.IsEmpty((Settings() with { Project = "prod", Instance = "serving" }).Problems());

    [TestMethod]
    public void FileProblem_WritableFolder_NoneAndNothingLeftBehind()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("sf-out-");
        try
        {
            Assert.IsNull(OutputChecks.FileProblem("--summary-json", Path.Combine(folder.FullName, "s.json")));
            Assert.IsNull(OutputChecks.FileProblem("--checkpoint", Path.Combine(folder.FullName, "a", "b", "c.json"), createsFolder: true));
            Assert.IsEmpty(folder.GetFileSystemInfos(), "the probe is removed and no folder is created");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [TestMethod]
    public void FileProblem_ExistingFile_LeftUnchanged()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "kept");

            Assert.IsNull(OutputChecks.FileProblem("--dead-letter", file));
            Assert.AreEqual("kept", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public void FileProblem_ParentIsAFile_NamesIt()
    {
        string file = Path.GetTempFileName();
        try
        {
            StringAssert.Contains(OutputChecks.FileProblem("--checkpoint", Path.Combine(file, "c.json"), createsFolder: true), $"{file} is a file, not a folder");
            StringAssert.Contains(OutputChecks.FileProblem("--dead-letter", Path.Combine(file, "d.jsonl")), $"the folder {file} does not exist");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static MigrationSettings Settings() => new()
    {
        Source = "sample",
        VerifyText = "full",
        DeadLetterFile = new FileInfo("dl.jsonl"),
        SampleRows = 1000,
    };
}
