using System.Text;
using System.Text.Json;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary><c>streamingfeatures migrate --source files:GLOB.csv</c> on broken CSV, as a process, on its own local emulator.</summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateCsvTests
{
    private const string FeatureSet = """
        table: csv_lines
        entityKey: user_id
        eventTime: event_time
        families:
          f:
            maxVersions: 1
        features:
          - name: note
            family: f
            type: string
        """;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Migrate_CsvWithBrokenLines_EveryLineWrittenOrDeadLetteredWithFileAndLine()
    {
        string folder = Directory.CreateTempSubdirectory("sf-migrate-csv-").FullName;
        try
        {
            var text = new StringBuilder("user_id,event_time,note\n");
            for (int i = 0; i < 100; i++)
            {
                string row = (i % 25) switch
                {
                    5 => $"u{i},2026-01-01T00:00:00Z,\"never closed\n",
                    6 => $"u{i},2026-01-01T00:00:00Z,a,b\n",
                    7 => $"u{i},2026-01-01T00:00:00Z,{new string('x', 5_000)}\n",
                    _ => $"u{i},2026-01-01T00:00:00Z,\"n, {i}\"\n",
                };
                text.Append(row);
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "part-0.csv"), text.ToString(), TestContext.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, "fs.yaml"), FeatureSet, TestContext.CancellationToken);
            string summary = Path.Combine(folder, "summary.json");
            string deadLetters = Path.Combine(folder, "dl.jsonl");

            CliResult exit = await CliProcess.RunAsync(folder, ["migrate", "--local", "--source", $"files:{folder}/part-*.csv", "--feature-set", Path.Combine(folder, "fs.yaml"), "--max-record-bytes", "4096", "--summary-json", summary, "--dead-letter", deadLetters], null, TestContext.CancellationToken);

            Assert.AreEqual(0, exit.Code, exit.Output);
            using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(summary, TestContext.CancellationToken));
            Assert.AreEqual(88, json.RootElement.GetProperty("rowsWritten").GetInt64());
            Assert.AreEqual(88, json.RootElement.GetProperty("rowsVerified").GetInt64());
            string[] letters = await File.ReadAllLinesAsync(deadLetters, TestContext.CancellationToken);
            Assert.HasCount(12, letters);
            var lines = letters.Select(l => JsonDocument.Parse(l).RootElement).Select(e => (Reason: e.GetProperty("reason").GetString(), Line: e.GetProperty("firstLine").GetInt64(), File: e.GetProperty("file").GetString())).ToArray();
            CollectionAssert.AreEquivalent(
                Enumerable.Range(0, 4).SelectMany(q => new[] { ("unclosedQuote", 7L + (25 * q)), ("extraFields", 8L + (25 * q)), ("recordTooLarge", 9L + (25 * q)) }).ToArray(),
                lines.Select(l => (l.Reason, l.Line)).ToArray());
            Assert.IsTrue(lines.All(l => l.File == "part-0.csv"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("--max-record-bytes", "100")]
    [DataRow("--csv-allow-quoted-newlines", null)]
    public async Task Migrate_BadRecordOption_ExitsTwoNamingIt(string option, string? value)
    {
        string folder = Directory.CreateTempSubdirectory("sf-migrate-csv-").FullName;
        try
        {
            string[] arguments = value is null ? ["migrate", "--local", option] : ["migrate", "--local", option, value];

            CliResult exit = await CliProcess.RunAsync(folder, arguments, null, TestContext.CancellationToken);

            Assert.AreEqual(2, exit.Code, exit.Output);
            StringAssert.Contains(exit.Output, option);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
