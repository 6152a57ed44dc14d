using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// The migrate report over three CSV files, one with a broken line: per file and in total, read = written +
/// dead-lettered + skipped, in the report (numbers in one right-aligned column) and in <c>--summary-json</c>; run
/// again, every row is skipped.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed partial class MigrateReportTests
{
    private static readonly (string File, int Rows, int Broken)[] s_files = [("a.csv", 300, 0), ("b.csv", 200, 1), ("c.csv", 100, 0)];

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_ThreeFilesThenRerun_FiguresAddUpPerSourceInReportAndJson()
    {
        await using var workspace = MigrationWorkspace.Create("report");
        WriteFiles(workspace);
        string[] arguments = ["migrate", "--source", "files:*.csv", "--feature-set", "fs.yaml", "--table", workspace.Table.Id, "--summary-json", "s.json", "--dead-letter", "dl.jsonl"];

        CliResult first = await workspace.RunAsync(arguments, MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, first.Code, first.Output);
        MigrationSummary summary = workspace.ReadSummary("s.json");
        string json = summary.ToJson();
        CollectionAssert.AreEqual(
            s_files.Select(f => new SourceFigures(f.File, f.Rows, f.Rows - f.Broken, f.Broken, 0)).ToArray(),
            summary.Sources.ToArray(),
            json);
        Assert.AreEqual(0, summary.RowsSkipped, json);
        MigrateAssert.OutputContains(first, "Migration report");
        MigrateAssert.OutputContains(first, "By source (3 sources; rows)");
        AssertFigures(first.Output, read: 600, written: 599, deadLettered: 1, skipped: 0);
        Assert.IsTrue(Regex.IsMatch(first.Output, @"b\.csv\s+200\s+199\s+1\s+0"), first.Output);
        MigrateAssert.OutputContains(first, "(verify ");
        StringAssert.DoesNotMatch(first.Output, VerifyEnum(), "enum values print as the flag takes them");

        CliResult rerun = await workspace.RunAsync(arguments, MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, rerun.Code, rerun.Output);
        MigrateAssert.OutputContains(rerun, "finished in an earlier run");
        MigrationSummary again = workspace.ReadSummary("s.json");
        CollectionAssert.AreEqual(s_files.Select(f => new SourceFigures(f.File, f.Rows, 0, 0, f.Rows)).ToArray(), again.Sources.ToArray(), again.ToJson());
        Assert.AreEqual(600, again.RowsSkipped);
        AssertFigures(rerun.Output, read: 600, written: 0, deadLettered: 0, skipped: 600);
    }

    /// <summary>The four figures as printed, each number ending in the same column.</summary>
    private static void AssertFigures(string output, long read, long written, long deadLettered, long skipped)
    {
        var ends = new List<int>();
        foreach ((string label, long value) in new[] { ("read", read), ("written", written), ("dead-lettered", deadLettered), ("skipped", skipped) })
        {
            Match line = Regex.Match(output, $@"^  {label} +([\d,]+) +rows", RegexOptions.Multiline);
            Assert.IsTrue(line.Success, $"a line for {label}: {output}");
            Assert.AreEqual(value, long.Parse(line.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture), output);
            ends.Add(line.Groups[1].Index + line.Groups[1].Length - output.LastIndexOf('\n', line.Index) - 1);
        }

        Assert.AreEqual(1, ends.Distinct().Count(), $"numbers right-aligned in one column: {output}");
    }

    private static void WriteFiles(MigrationWorkspace workspace)
    {
        int user = 0;
        foreach ((string file, int rows, int broken) in s_files)
        {
            var text = new StringBuilder("user_id,event_time,note\n");
            for (int i = 1; i <= rows; i++)
            {
                string note = i <= broken ? "\"never closed" : "n" + i.ToString(CultureInfo.InvariantCulture);
                text.Append(CultureInfo.InvariantCulture, $"u{++user},2026-01-01T00:00:00Z,{note}\n");
            }

            File.WriteAllText(workspace.PathOf(file), text.ToString());
        }

        File.WriteAllText(workspace.PathOf("fs.yaml"), """
            table: report
            entityKey: user_id
            eventTime: event_time
            families:
              f:
                maxVersions: 1
            features:
              - name: note
                family: f
                type: string
            """);
    }

    [GeneratedRegex("verify (None|Sampled|Full)")]
    private static partial Regex VerifyEnum();
}
