using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Verification;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.IntegrationTests.Pipeline;

/// <summary>The whole graph against the real cbtemulator.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class PipelineEmulatorTests
{
    private static readonly string Instance = $"projects/{EmulatorFixture.Project}/instances/{EmulatorFixture.Instance}";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_100kRows_EveryCellReadsBackAndFullVerificationMatches()
    {
        using GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 100_000, Features = 8, Partitions = 4, Seed = 7 });
        FeatureSetOptions featureSet = await CreateTableAsync(channel, source);
        var deadLetters = new CollectingDeadLetterSink();

        PipelineResult result = await RunAsync(channel, source, featureSet, deadLetters, VerificationMode.Full);

        IntegrityReport report = result.Report;
        Assert.AreEqual(100_000, report.RowsRead);
        Assert.AreEqual(100_000, report.RowsWritten);
        Assert.AreEqual(0, report.DeadLettered, string.Join(Environment.NewLine, deadLetters.Kept.Take(5)));
        Assert.AreEqual(100_000, report.Matched);
        Assert.IsTrue(report.IsClean);
        Assert.AreEqual(100_000, report.ByPartition.Values.Sum(c => c.Count));

        List<Row> rows = await ReadTableAsync(channel, featureSet.Table);
        Assert.HasCount(100_000, rows);
        var keys = new RowKeyFormat(featureSet.RowKey);
        foreach (Row row in rows)
        {
            string key = row.Key.ToStringUtf8();
            long entity = long.Parse(key[(key.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            CollectionAssert.AreEqual(keys.ForEntity([SyntheticSource.EntityId(entity)]), row.Key.ToByteArray(), $"key of entity {entity}");
            Family family = row.Families.Single();
            Assert.HasCount(8, family.Columns, key);
            foreach (Column column in family.Columns)
            {
                int feature = int.Parse(column.Qualifier.ToStringUtf8()[1..], System.Globalization.CultureInfo.InvariantCulture);
                Cell cell = column.Cells.Single();
                Assert.AreEqual(source.EventTimeMicros(entity), cell.TimestampMicros, key);
                Assert.AreEqual(source.Int64Value(entity, feature), CellEncoding.ReadInt64(cell.Value.Span), $"{key} f{feature}");
            }
        }
    }

    [TestMethod]
    public async Task Run_SameRowsTwice_TableUnchanged()
    {
        using GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 20_000, Features = 4, Seed = 11 });
        FeatureSetOptions featureSet = await CreateTableAsync(channel, source);

        await RunAsync(channel, source, featureSet, new CollectingDeadLetterSink(), VerificationMode.None);
        string first = Fingerprint(await ReadTableAsync(channel, featureSet.Table));
        PipelineResult again = await RunAsync(channel, new SyntheticSource(new SyntheticSourceOptions { Rows = 20_000, Features = 4, Seed = 11, Partitions = 3 }), featureSet, new CollectingDeadLetterSink(), VerificationMode.Full);
        string second = Fingerprint(await ReadTableAsync(channel, featureSet.Table));

        Assert.AreEqual(first, second, "a replay must leave every cell, version and timestamp as it was");
        Assert.AreEqual(20_000, again.Report.Matched);
    }

    [TestMethod]
    public async Task Run_OlderEventsAfterNewer_NewerValuesWin()
    {
        using GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        var newer = new SyntheticSource(new SyntheticSourceOptions { Rows = 5_000, Features = 4, Seed = 1, StartTime = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) });
        var older = new SyntheticSource(new SyntheticSourceOptions { Rows = 5_000, Features = 4, Seed = 2, StartTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        FeatureSetOptions featureSet = await CreateTableAsync(channel, newer);

        await RunAsync(channel, newer, featureSet, new CollectingDeadLetterSink(), VerificationMode.None);
        await RunAsync(channel, older, featureSet, new CollectingDeadLetterSink(), VerificationMode.None);
        List<Row> latest = await ReadTableAsync(channel, featureSet.Table, new RowFilter { CellsPerColumnLimitFilter = 1 });

        Assert.HasCount(5_000, latest);
        foreach (Row row in latest)
        {
            string key = row.Key.ToStringUtf8();
            long entity = long.Parse(key[(key.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            foreach (Column column in row.Families.Single().Columns)
            {
                int feature = int.Parse(column.Qualifier.ToStringUtf8()[1..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.AreEqual(newer.EventTimeMicros(entity), column.Cells[0].TimestampMicros, key);
                Assert.AreEqual(newer.Int64Value(entity, feature), CellEncoding.ReadInt64(column.Cells[0].Value.Span), key);
            }
        }
    }

    private async Task<FeatureSetOptions> CreateTableAsync(GrpcChannel channel, SyntheticSource source)
    {
        FeatureSetOptions featureSet = source.FeatureSet(EmulatorFixture.UniqueName("pl"));
        featureSet.Families[SyntheticSource.Family].MaxVersions = 10;
        await TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(channel), Instance, featureSet, TestContext.CancellationToken);
        return featureSet;
    }

    private async Task<PipelineResult> RunAsync(GrpcChannel channel, SyntheticSource source, FeatureSetOptions featureSet, IDeadLetterSink deadLetters, VerificationMode mode)
    {
        var pipeline = new IngestionPipeline(
            featureSet,
            source,
            new BigtableTarget(channel.CreateCallInvoker(), $"{Instance}/tables/{featureSet.Table}"),
            deadLetters,
            new PipelineOptions { Verification = new VerificationOptions { Mode = mode } });
        return await pipeline.RunAsync(TestContext.CancellationToken);
    }

    private async Task<List<Row>> ReadTableAsync(GrpcChannel channel, string table, RowFilter? filter = null)
    {
        var merger = new ReadRowsMerger();
        var rows = new List<Row>();
        using AsyncServerStreamingCall<ReadRowsResponse> call = new BigtableClient(channel).ReadRows(
            new ReadRowsRequest { TableName = $"{Instance}/tables/{table}", Filter = filter },
            cancellationToken: TestContext.CancellationToken);
        await foreach (ReadRowsResponse response in call.ResponseStream.ReadAllAsync(TestContext.CancellationToken))
        {
            rows.AddRange(merger.Add(response));
        }

        merger.Complete();
        return rows;
    }

    private static string Fingerprint(List<Row> rows) => string.Join(
        "\n",
        rows.Select(r => r.Key.ToStringUtf8() + "|" + string.Join(",", r.Families.SelectMany(f => f.Columns.SelectMany(c => c.Cells.Select(cell => $"{f.Name}:{c.Qualifier.ToStringUtf8()}@{cell.TimestampMicros}={Convert.ToHexString(cell.Value.Span)}"))))));
}
