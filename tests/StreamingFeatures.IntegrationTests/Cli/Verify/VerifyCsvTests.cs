using System.Globalization;
using System.Text;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Net.Client;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.IntegrationTests.Cli.Verify;

/// <summary><c>verify --source files:GLOB.csv</c> after <c>migrate</c> of the same files, as processes.</summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class VerifyCsvTests
{
    private const string FeatureSet = """
        entityKey: user_id
        eventTime: event_time
        families:
          f:
            maxVersions: 5
        features:
          - name: clicks
            family: f
            type: int64
        """;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Verify_CsvWithANewerCellWrittenLater_IdenticalAndNothingSearchedAgain()
    {
        await using var workspace = MigrationWorkspace.Create("verify-csv");
        var csv = new StringBuilder("user_id,event_time,clicks\n");
        for (int i = 0; i < 200; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"u{i},2026-01-01T00:00:00Z,{i}\n");
        }

        await File.WriteAllTextAsync(workspace.PathOf("part-0.csv"), csv.ToString(), Cancellation);
        await File.WriteAllTextAsync(workspace.PathOf("fs.yaml"), $"table: {workspace.Table.Id}\n{FeatureSet}", Cancellation);
        string[] source = ["--source", $"files:{workspace.Folder}/part-*.csv", "--feature-set", workspace.PathOf("fs.yaml")];
        CliResult migrated = await workspace.RunAsync(["migrate", .. source, "--checkpoint", "none"], MigrationWorkspace.SharedEmulator, Cancellation);
        Assert.AreEqual(0, migrated.Code, migrated.Output);
        await WriteNewerCellAsync(workspace.Table, Cancellation);

        CliResult verified = await workspace.RunAsync(["verify", .. source], MigrationWorkspace.SharedEmulator, Cancellation);

        Assert.AreEqual(0, verified.Code, verified.Output);
        StringAssert.Matches(verified.Output, new System.Text.RegularExpressions.Regex(@"matched\s+200 "));
        StringAssert.Matches(verified.Output, new System.Text.RegularExpressions.Regex(@"source reads\s+1 "));
    }

    /// <summary>A stream's later event for the table's first row: a newer cell beside the migrated one.</summary>
    private static async Task WriteNewerCellAsync(TargetTable table, CancellationToken cancellationToken)
    {
        Row? first = null;
        await table.ScanAsync(row => first ??= row, cancellationToken);
        Cell cell = first!.Families[0].Columns[0].Cells[0];
        using GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        await new BigtableClient(channel).MutateRowAsync(
            new MutateRowRequest
            {
                TableName = table.Name,
                RowKey = first.Key,
                Mutations =
                {
                    new Mutation
                    {
                        SetCell = new Mutation.Types.SetCell
                        {
                            FamilyName = first.Families[0].Name,
                            ColumnQualifier = first.Families[0].Columns[0].Qualifier,
                            TimestampMicros = cell.TimestampMicros + 60_000_000,
                            Value = ByteString.CopyFrom(0, 0, 0, 0, 0, 0, 0, 42),
                        },
                    },
                },
            },
            cancellationToken: cancellationToken);
    }
}
