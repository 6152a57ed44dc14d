using Apache.Arrow;
using Apache.Arrow.Types;
using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Verification;
using BigQueryArrowSchema = Google.Cloud.BigQuery.Storage.V1.ArrowSchema;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;
using ReadSession = Google.Cloud.BigQuery.Storage.V1.ReadSession;

namespace StreamingFeatures.IntegrationTests.BigQuerySource;

/// <summary>
/// Every BigQuery type, NOT NULL and NULLABLE, with edge values: served by the BigQuery Storage emulator as the real
/// service types them (date32, decimal128(38, 9), …), read by the source, written by the pipeline into the Bigtable
/// emulator and read back cell by cell; in Arrow and in Avro format.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BigQueryAllTypesTests
{
    private const string Project = "types-project";
    private const string Dataset = "types";
    private const long EventBase = 1_700_000_000_000_000;
    private static readonly string Instance = $"projects/{EmulatorFixture.Project}/instances/{EmulatorFixture.Instance}";

    private static BigQueryStorageEmulator s_bigQuery = null!;
    private static GrpcChannel s_bigQueryChannel = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        s_bigQuery = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), context.CancellationToken);
        s_bigQueryChannel = s_bigQuery.CreateChannel();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_bigQueryChannel.Dispose();
        await s_bigQuery.DisposeAsync();
    }

    [TestMethod]
    public async Task Run_EveryTypeNullSkipped_EachCellHoldsTheExactBinaryEncodingAndNullsWriteNothing()
    {
        using GrpcChannel bigtable = EmulatorFixture.Bigtable.CreateChannel();
        FeatureSetOptions featureSet = await CreateTableAsync(bigtable, NullHandling.Skip);
        BigQueryStorageSource source = await OpenAsync(AddTable(nulls: true, EventBase));

        CollectionAssert.AreEqual(
            AllTypesTable.Schema().Fields.Select(f => (f.Name, f.Type, f.Nullable)).ToList(),
            source.Schema.Fields.Select(f => (f.Name, f.Type, f.Nullable)).ToList(),
            "DATE comes back as Date and NUMERIC as Numeric, nullability kept");
        PipelineResult result = await RunAsync(bigtable, source, featureSet);

        AssertClean(result);
        Dictionary<string, Row> rows = await ReadTableAsync(bigtable, featureSet.Table);
        AssertCells(rows, featureSet, latestOnly: false);
    }

    [TestMethod]
    public async Task Run_EveryTypeReadAsAvro_EachCellHoldsTheExactBinaryEncodingAndNullsWriteNothing()
    {
        using GrpcChannel bigtable = EmulatorFixture.Bigtable.CreateChannel();
        FeatureSetOptions featureSet = await CreateTableAsync(bigtable, NullHandling.Skip);
        BigQueryStorageSource source = await OpenAsync(AddTable(nulls: true, EventBase), BigQueryDataFormat.Avro);

        Assert.AreEqual(BigQueryDataFormat.Avro, source.DataFormat);
        CollectionAssert.AreEqual(
            AllTypesTable.Schema().Fields.Select(f => (f.Name, f.Type, f.Nullable)).ToList(),
            source.Schema.Fields.Select(f => (f.Name, f.Type, f.Nullable)).ToList(),
            "Avro's DATE, NUMERIC and unions map as Arrow's types do");
        PipelineResult result = await RunAsync(bigtable, source, featureSet);

        AssertClean(result);
        Dictionary<string, Row> rows = await ReadTableAsync(bigtable, featureSet.Table);
        AssertCells(rows, featureSet, latestOnly: false);
    }

    [TestMethod]
    public async Task OpenAsync_AvroBigNumericAndStructColumns_ThrowsBeforeAnyRowNamingColumnsAndTypes()
    {
        var session = new ReadSession
        {
            Name = "projects/p/locations/us/sessions/s",
            DataFormat = Google.Cloud.BigQuery.Storage.V1.DataFormat.Avro,
            AvroSchema = new Google.Cloud.BigQuery.Storage.V1.AvroSchema
            {
                Schema = """
                    {"type": "record", "name": "__root__", "fields": [
                      {"name": "id", "type": "string"},
                      {"name": "price", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 77, "scale": 38}]},
                      {"name": "address", "type": ["null", {"type": "record", "name": "address_rec", "fields": [{"name": "city", "type": ["null", "string"]}]}]}
                    ]}
                    """,
            },
        };
        const string table = "projects/p/datasets/d/tables/wide";

        BigQuerySourceException error = await Assert.ThrowsExactlyAsync<BigQuerySourceException>(() => BigQueryStorageSource.OpenAsync(
            new SessionInvoker(session), new BigQuerySourceOptions { Table = table, DataFormat = BigQueryDataFormat.Avro }, TestContext.CancellationToken));

        StringAssert.Contains(error.Message, table);
        StringAssert.Contains(error.Message, "column 'price' has Avro type union [null, decimal(77, 38) (BigQuery BIGNUMERIC)]");
        StringAssert.Contains(error.Message, "column 'address' has Avro type union [null, record (BigQuery STRUCT)]");
        Assert.DoesNotContain("'id'", error.Message);
    }

    [TestMethod]
    public async Task Run_EveryTypeNullDeletesColumn_NullCellsRemoveOlderValuesOthersHoldTheNewValue()
    {
        using GrpcChannel bigtable = EmulatorFixture.Bigtable.CreateChannel();
        FeatureSetOptions featureSet = await CreateTableAsync(bigtable, NullHandling.DeleteColumn);
        await RunAsync(bigtable, await OpenAsync(AddTable(nulls: false, EventBase - 1_000_000)), featureSet);

        PipelineResult result = await RunAsync(bigtable, await OpenAsync(AddTable(nulls: true, EventBase)), featureSet);

        AssertClean(result);
        Dictionary<string, Row> rows = await ReadTableAsync(bigtable, featureSet.Table);
        AssertCells(rows, featureSet, latestOnly: true);
    }

    [TestMethod]
    public async Task OpenAsync_BigNumericAndStructColumns_ThrowsBeforeAnyRowNamingColumnsAndTypes()
    {
        var schema = new Schema(
        [
            new Field("id", StringType.Default, false),
            new Field("price", new Decimal256Type(76, 38), true),
            new Field("address", new StructType([new Field("city", StringType.Default, true)]), true),
        ], metadata: null);
        var session = new ReadSession
        {
            Name = "projects/p/locations/us/sessions/s",
            ArrowSchema = new BigQueryArrowSchema { SerializedSchema = ByteString.CopyFrom(ArrowIpc.Schema(schema)) },
        };
        const string table = "projects/p/datasets/d/tables/wide";

        BigQuerySourceException error = await Assert.ThrowsExactlyAsync<BigQuerySourceException>(() =>
            BigQueryStorageSource.OpenAsync(new SessionInvoker(session), new BigQuerySourceOptions { Table = table }, TestContext.CancellationToken));

        StringAssert.Contains(error.Message, table);
        StringAssert.Contains(error.Message, "column 'price' has Arrow type decimal256(76, 38) (BigQuery BIGNUMERIC)");
        StringAssert.Contains(error.Message, "column 'address' has Arrow type struct (BigQuery STRUCT)");
        Assert.DoesNotContain("'id'", error.Message);
    }

    private static void AssertClean(PipelineResult result)
    {
        Assert.AreEqual(AllTypesTable.Rows, result.Report.RowsRead);
        Assert.AreEqual(0, result.Report.DeadLettered);
        Assert.AreEqual(AllTypesTable.Rows, result.Report.Matched, "full verification reads every row back intact");
        Assert.IsTrue(result.Report.IsClean);
    }

    /// <summary>
    /// Each feature's newest cell is stamped with the row's event time and holds the expected bytes; a null holds no
    /// cell at all (skipped, or its older cells deleted). With <paramref name="latestOnly"/> older versions may remain.
    /// </summary>
    private static void AssertCells(Dictionary<string, Row> rows, FeatureSetOptions featureSet, bool latestOnly)
    {
        var keys = new RowKeyFormat(featureSet.RowKey);
        Assert.HasCount(AllTypesTable.Rows, rows);
        for (int r = 0; r < AllTypesTable.Rows; r++)
        {
            string key = ByteString.CopyFrom(keys.ForEntity([AllTypesTable.Entity(r)])).ToBase64();
            Assert.IsTrue(rows.TryGetValue(key, out Row? row), $"row {r}");
            var columns = row.Families.Single().Columns.ToDictionary(c => c.Qualifier.ToStringUtf8());
            foreach (FeatureOptions feature in featureSet.Features)
            {
                string where = $"row {r} feature {feature.Name}";
                if (feature.Nullable && AllTypesTable.IsNull(r))
                {
                    Assert.IsFalse(columns.ContainsKey(feature.Name), $"{where}: a null leaves no cell");
                    continue;
                }

                Cell cell = columns[feature.Name].Cells[0];
                Assert.IsTrue(latestOnly || columns[feature.Name].Cells.Count == 1, where);
                Assert.AreEqual(CellEncoding.CellTimestampMicros(EventBase + (r * 1_000L)), cell.TimestampMicros, where);
                CollectionAssert.AreEqual(AllTypesTable.ExpectedCell(feature.Name, r), cell.Value.ToByteArray(), where);
            }
        }
    }

    private string AddTable(bool nulls, long eventBase)
    {
        string name = $"all_{Guid.NewGuid():N}"[..20];
        s_bigQuery.AddTable(Project, Dataset, name, AllTypesTable.Source(nulls, eventBase));
        return $"projects/{Project}/datasets/{Dataset}/tables/{name}";
    }

    private Task<BigQueryStorageSource> OpenAsync(string table, BigQueryDataFormat format = BigQueryDataFormat.Arrow) => BigQueryStorageSource.OpenAsync(
        s_bigQueryChannel.CreateCallInvoker(),
        new BigQuerySourceOptions { Table = table, MaxStreamCount = 2, DataFormat = format },
        TestContext.CancellationToken);

    private async Task<FeatureSetOptions> CreateTableAsync(GrpcChannel channel, NullHandling nulls)
    {
        FeatureSetOptions featureSet = AllTypesTable.FeatureSet(EmulatorFixture.UniqueName("types"), nulls);
        await TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(channel), Instance, featureSet, TestContext.CancellationToken);
        return featureSet;
    }

    private async Task<PipelineResult> RunAsync(GrpcChannel channel, BigQueryStorageSource source, FeatureSetOptions featureSet)
    {
        var deadLetters = new CollectingDeadLetterSink();
        var pipeline = new IngestionPipeline(
            featureSet,
            source,
            new BigtableTarget(channel.CreateCallInvoker(), $"{Instance}/tables/{featureSet.Table}"),
            deadLetters,
            new PipelineOptions { Verification = new VerificationOptions { Mode = VerificationMode.Full } });
        PipelineResult result = await pipeline.RunAsync(TestContext.CancellationToken);
        Assert.IsEmpty(deadLetters.Kept, string.Join(Environment.NewLine, deadLetters.Kept.Take(5)));
        return result;
    }

    /// <summary>Rows by base64 key.</summary>
    private async Task<Dictionary<string, Row>> ReadTableAsync(GrpcChannel channel, string table)
    {
        var merger = new ReadRowsMerger();
        var rows = new List<Row>();
        using AsyncServerStreamingCall<ReadRowsResponse> call = new BigtableClient(channel).ReadRows(
            new ReadRowsRequest { TableName = $"{Instance}/tables/{table}" },
            cancellationToken: TestContext.CancellationToken);
        await foreach (ReadRowsResponse response in call.ResponseStream.ReadAllAsync(TestContext.CancellationToken))
        {
            rows.AddRange(merger.Add(response));
        }

        merger.Complete();
        return rows.ToDictionary(r => r.Key.ToBase64());
    }

    /// <summary>Answers CreateReadSession with a fixed session, so a schema the emulator cannot serve reaches the source.</summary>
    private sealed class SessionInvoker(ReadSession session) : CallInvoker
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            new(Task.FromResult((TResponse)(object)session), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();
    }
}
