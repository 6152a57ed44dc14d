using System.Text.Json;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.IntegrationTests.Cli.Verify;

/// <summary>
/// <c>streamingfeatures verify</c> as a process against a table <c>migrate</c> wrote on the shared Bigtable emulator:
/// identical after the migration, then exactly the rows tampered with between the runs.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class VerifyCommandTests
{
    private const string Rows = "2000";

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Verify_SampleAfterMigrateThenTampered_IdenticalThenOneMissingChangedAndExtra()
    {
        await using var workspace = MigrationWorkspace.Create("verify");
        string[] source = ["--sample-rows", Rows, "--table", workspace.Table.Id];
        CliResult migrated = await workspace.RunAsync(["migrate", .. source, "--checkpoint", "none"], MigrationWorkspace.SharedEmulator, Cancellation);
        Assert.AreEqual(0, migrated.Code, migrated.Output);
        CliResult plan = await workspace.RunAsync(["verify", .. source, "--dry-run"], MigrationWorkspace.SharedEmulator, Cancellation);
        Assert.AreEqual(0, plan.Code, plan.Output);
        StringAssert.Contains(plan.Output, "Verification plan");
        Assert.DoesNotContain("Verification report", plan.Output);

        CliResult identical = await workspace.RunAsync(["verify", .. source], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, identical.Code, identical.Output);
        StringAssert.Contains(identical.Output, "Verification report");
        StringAssert.Matches(identical.Output, new System.Text.RegularExpressions.Regex(@"matched\s+2,000 "));
        StringAssert.Contains(identical.Output, "Identical:");

        Tampered tampered = await TamperAsync(workspace.Table, Cancellation);
        CliResult differs = await workspace.RunAsync(["verify", .. source, "--log-format", "json"], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(3, differs.Code, differs.Output);
        JsonElement report = ReportOf(differs.StandardOutput);
        Assert.AreEqual(2000, report.GetProperty("sourceRows").GetInt64());
        Assert.AreEqual(1998, report.GetProperty("matched").GetInt64());
        Assert.AreEqual(1, report.GetProperty("missing").GetInt64());
        Assert.AreEqual(1, report.GetProperty("changed").GetInt64());
        Assert.AreEqual(1, report.GetProperty("extra").GetInt64());
        Assert.AreEqual(2000, report.GetProperty("tableRows").GetInt64(), "one row deleted, one added");
        JsonElement[] ranges = [.. report.GetProperty("differences").EnumerateArray()];
        CollectionAssert.AreEquivalent(new[] { tampered.Deleted }, Keys(ranges, "missingKeys"));
        CollectionAssert.AreEquivalent(new[] { tampered.Changed }, Keys(ranges, "changedKeys"));
        CollectionAssert.AreEquivalent(new[] { Tampered.Extra }, Keys(ranges, "extraKeys"));
        Assert.IsTrue(ranges.All(r => r.GetProperty("range").GetString()!.StartsWith('[')), differs.StandardOutput);
    }

    [TestMethod]
    public async Task Verify_ExtraRowsInARangeAboveExactPassKeys_EachFoundOnceInSlices()
    {
        await using var workspace = MigrationWorkspace.Create("verify-slices");
        string[] source = ["--sample-rows", Rows, "--table", workspace.Table.Id];
        CliResult migrated = await workspace.RunAsync(["migrate", .. source, "--checkpoint", "none"], MigrationWorkspace.SharedEmulator, Cancellation);
        Assert.AreEqual(0, migrated.Code, migrated.Output);
        // The extras sort after every sample key, so the last key range holds more than one pass may: it is sliced.
        string[] extras = await AddExtrasAsync(workspace.Table, 1_100, Cancellation);

        CliResult differs = await workspace.RunAsync(["verify", .. source, "--exact-pass-keys", "1000", "--log-format", "json"], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(3, differs.Code, differs.Output);
        JsonElement report = ReportOf(differs.StandardOutput);
        Assert.AreEqual(2000, report.GetProperty("matched").GetInt64());
        Assert.AreEqual(1_100, report.GetProperty("extra").GetInt64(), "each extra counted once across the slices");
        string[] listed = Keys([.. report.GetProperty("differences").EnumerateArray()], "extraKeys");
        Assert.HasCount(100, listed, "--max-keys' default");
        Assert.IsTrue(listed.All(extras.Contains), string.Join(", ", listed));
        Assert.IsGreaterThanOrEqualTo(3, report.GetProperty("sourcePasses").GetInt32(), "the first pass, then the last range in at least two slices");
    }

    [TestMethod]
    public async Task Verify_TableMissing_ExitsTwoNamingIt()
    {
        await using var workspace = MigrationWorkspace.Create("verify-none");

        CliResult exit = await workspace.RunAsync(["verify", "--sample-rows", "100", "--table", workspace.Table.Id], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(2, exit.Code, exit.Output);
        StringAssert.Contains(exit.Output, workspace.Table.Id);
    }

    [TestMethod]
    public async Task Verify_ShardIndexOutOfRange_ExitsTwoNamingIt()
    {
        await using var workspace = MigrationWorkspace.Create("verify-flags");

        CliResult exit = await workspace.RunAsync(["verify", "--shard-index", "2", "--shard-count", "2"], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(2, exit.Code, exit.Output);
        StringAssert.Contains(exit.Output, "--shard-index is 2");
    }

    /// <summary>The report object among the JSON lines: the only line that has one.</summary>
    private static JsonElement ReportOf(string standardOutput)
    {
        JsonElement[] reports = [.. standardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(line => line.TryGetProperty("report", out _))
            .Select(line => line.GetProperty("report"))];
        Assert.HasCount(1, reports, standardOutput);
        return reports[0];
    }

    private static string[] Keys(JsonElement[] ranges, string property) =>
        [.. ranges.SelectMany(r => r.GetProperty(property).EnumerateArray()).Select(k => k.GetString()!)];

    /// <summary>
    /// Deletes the first row, rewrites a cell of the second at its own timestamp and adds a row no source row maps to.
    /// </summary>
    private static async Task<Tampered> TamperAsync(TargetTable table, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        await table.ScanAsync(
            row =>
            {
                if (rows.Count < 2)
                {
                    rows.Add(row);
                }
            },
            cancellationToken);
        Cell cell = rows[1].Families[0].Columns[0].Cells[0];
        string family = rows[1].Families[0].Name;
        ByteString qualifier = rows[1].Families[0].Columns[0].Qualifier;
        using GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        var client = new BigtableClient(channel);
        await client.MutateRowAsync(new MutateRowRequest { TableName = table.Name, RowKey = rows[0].Key, Mutations = { new Mutation { DeleteFromRow = new() } } }, cancellationToken: cancellationToken);
        await client.MutateRowAsync(Set(table, rows[1].Key, family, qualifier, cell.TimestampMicros, [9, 9, 9, 9, 9, 9, 9, 9]), cancellationToken: cancellationToken);
        await client.MutateRowAsync(Set(table, ByteString.CopyFromUtf8(Tampered.Extra), family, qualifier, cell.TimestampMicros, [0, 0, 0, 0, 0, 0, 0, 1]), cancellationToken: cancellationToken);
        return new Tampered(rows[0].Key.ToStringUtf8(), rows[1].Key.ToStringUtf8());
    }

    /// <summary>Adds <paramref name="count"/> rows no source row maps to, each with one cell of a real feature column.</summary>
    private static async Task<string[]> AddExtrasAsync(TargetTable table, int count, CancellationToken cancellationToken)
    {
        Row? first = null;
        await table.ScanAsync(row => first ??= row, cancellationToken);
        Family family = first!.Families[0];
        using GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        var client = new BigtableClient(channel);
        string[] keys = [.. Enumerable.Range(0, count).Select(i => $"zz#extra-{i:D5}")];
        var request = new MutateRowsRequest { TableName = table.Name };
        foreach (string key in keys)
        {
            MutateRowRequest row = Set(table, ByteString.CopyFromUtf8(key), family.Name, family.Columns[0].Qualifier, family.Columns[0].Cells[0].TimestampMicros, [0, 0, 0, 0, 0, 0, 0, 1]);
            request.Entries.Add(new MutateRowsRequest.Types.Entry { RowKey = row.RowKey, Mutations = { row.Mutations } });
        }

        using AsyncServerStreamingCall<MutateRowsResponse> call = client.MutateRows(request, cancellationToken: cancellationToken);
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            Assert.IsTrue(call.ResponseStream.Current.Entries.All(e => e.Status.Code == 0), "every extra row written");
        }

        return keys;
    }

    private static MutateRowRequest Set(TargetTable table, ByteString key, string family, ByteString qualifier, long timestampMicros, byte[] value) => new()
    {
        TableName = table.Name,
        RowKey = key,
        Mutations = { new Mutation { SetCell = new Mutation.Types.SetCell { FamilyName = family, ColumnQualifier = qualifier, TimestampMicros = timestampMicros, Value = ByteString.CopyFrom(value) } } },
    };

    private sealed record Tampered(string Deleted, string Changed)
    {
        public const string Extra = "zz#not-in-the-source";
    }
}
