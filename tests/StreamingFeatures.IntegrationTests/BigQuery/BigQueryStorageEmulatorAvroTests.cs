using System.Numerics;
using System.Threading.Tasks.Dataflow;
using Avro;
using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.IntegrationTests.BigQuerySource;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>
/// AVRO read sessions of the emulator, decoded with Apache.Avro's GenericDatumReader (not the engine's decoder), so
/// the encoding is checked by an independent implementation: the schema as the service writes it, every type and
/// null, and the same rows at the same offsets as an ARROW session of the same table.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BigQueryStorageEmulatorAvroTests
{
    private const string Project = "avro-project";
    private const string Dataset = "features";
    private const int Rows = 20_000;

    private static readonly SyntheticSource Synthetic = new(new SyntheticSourceOptions { Rows = Rows, Features = 3 });
    private static BigQueryStorageEmulator s_emulator = null!;
    private static GrpcChannel s_channel = null!;

    public TestContext TestContext { get; set; } = null!;

    private static BigQueryRead.BigQueryReadClient Client => new(s_channel);

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        s_emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), context.CancellationToken);
        s_emulator.AddTable(Project, Dataset, "synthetic", Synthetic);
        s_emulator.AddTable(Project, Dataset, "all_types", AllTypesTable.Source(nulls: true, eventBase: 1_700_000_000_000_000));
        s_emulator.AddTable(Project, Dataset, "flexible", new OneChunkSource());
        s_channel = s_emulator.CreateChannel();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_channel.Dispose();
        await s_emulator.DisposeAsync();
    }

    [TestMethod]
    public async Task CreateReadSession_Avro_RootRecordSchemaInTableOrderWithNullableUnions()
    {
        ReadSession session = await CreateAsync(Request("all_types", DataFormat.Avro, 1));

        Assert.AreEqual(DataFormat.Avro, session.DataFormat);
        Assert.IsNull(session.ArrowSchema);
        RecordSchema schema = AvroReads.Schema(session);
        Assert.AreEqual("__root__", schema.Name);
        CollectionAssert.AreEqual(AllTypesTable.Schema().Fields.Select(f => f.Name).ToArray(), schema.Fields.Select(f => f.Name).ToArray());
        Assert.AreEqual("{\"type\":\"string\"}", schema.Fields[0].Schema.ToString(), "id is REQUIRED");
        Assert.AreEqual("[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}]", Field(schema, "ts_opt").Schema.ToString());
        Assert.AreEqual("{\"type\":\"int\",\"logicalType\":\"date\"}", Field(schema, "date_req").Schema.ToString());
        Assert.AreEqual("[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":38,\"scale\":9}]", Field(schema, "num_opt").Schema.ToString());
    }

    [TestMethod]
    public async Task ReadRows_AvroAllTypes_GenericDatumReaderDecodesEveryValueAndNull()
    {
        ReadSession session = await CreateAsync(Request("all_types", DataFormat.Avro, 1));
        var rows = new List<object?[]>();

        List<ReadRowsResponse> responses = await AvroReads.ReadAsync(Client, session, session.Streams[0].Name, 0, rows, TestContext.CancellationToken);

        Assert.AreEqual(session.AvroSchema, responses[0].AvroSchema, "the first response carries the session schema");
        Assert.IsTrue(responses.Skip(1).All(r => r.AvroSchema is null), "only the first response carries the schema");
        Assert.HasCount(AllTypesTable.Rows, rows);
        RecordSchema schema = AvroReads.Schema(session);
        NumericColumn numerics = NumericColumn.FromStrings(AllTypesTable.Numerics);
        for (int r = 0; r < AllTypesTable.Rows; r++)
        {
            object?[] row = rows[r];
            Assert.AreEqual(AllTypesTable.Entity(r), row[0]);
            foreach (string variant in new[] { "_req", "_opt" })
            {
                object?[] expected =
                [
                    AllTypesTable.Int64s[r], AllTypesTable.Float64s[r], AllTypesTable.Bools[r], AllTypesTable.Strings[r], AllTypesTable.Bytes[r],
                    AllTypesTable.Timestamps[r], AllTypesTable.Dates[r], (BigInteger)numerics.Values[r],
                ];
                for (int k = 0; k < AllTypesTable.Kinds.Length; k++)
                {
                    string name = AllTypesTable.Kinds[k] + variant;
                    object? actual = row[Field(schema, name).Pos];
                    string where = $"row {r} column {name}";
                    if (variant == "_opt" && AllTypesTable.IsNull(r))
                    {
                        Assert.IsNull(actual, where);
                    }
                    else if (actual is AvroDecimal number)
                    {
                        Assert.AreEqual(expected[k], number.UnscaledValue, where);
                        Assert.AreEqual(NumericColumn.BigQueryScale, number.Scale, where);
                    }
                    else if (actual is byte[] bytes)
                    {
                        CollectionAssert.AreEqual((byte[])expected[k]!, bytes, where);
                    }
                    else
                    {
                        Assert.AreEqual(expected[k], actual, where);
                    }
                }
            }
        }
    }

    [TestMethod]
    public async Task ReadRows_SameTableInAvroAndArrow_SameRowsAtEveryStreamAndOffset()
    {
        var options = new ReadSession.Types.TableReadOptions { SelectedFields = { "f2", "entity_id", "event_time" }, RowRestriction = "MOD(f0, 3) != 1" };
        CreateReadSessionRequest avroRequest = Request("synthetic", DataFormat.Avro, 3);
        avroRequest.ReadSession.ReadOptions = options;
        CreateReadSessionRequest arrowRequest = Request("synthetic", DataFormat.Arrow, 3);
        arrowRequest.ReadSession.ReadOptions = options.Clone();
        ReadSession avro = await CreateAsync(avroRequest);
        ReadSession arrow = await CreateAsync(arrowRequest);

        Assert.HasCount(3, avro.Streams);
        long total = 0;
        for (int s = 0; s < 3; s++)
        {
            foreach (long offset in new long[] { 0, 1_234 })
            {
                var avroRows = new List<object?[]>();
                var arrowRows = new List<object?[]>();
                await AvroReads.ReadAsync(Client, avro, avro.Streams[s].Name, offset, avroRows, TestContext.CancellationToken);
                await ArrowReads.ReadAsync(Client, arrow, arrow.Streams[s].Name, offset, arrowRows, TestContext.CancellationToken);

                Assert.HasCount(arrowRows.Count, avroRows, $"stream {s} from {offset}");
                for (int r = 0; r < arrowRows.Count; r++)
                {
                    CollectionAssert.AreEqual(arrowRows[r], avroRows[r], $"stream {s} row {offset + r}");
                }

                total += offset == 0 ? avroRows.Count : 0;
            }
        }

        Assert.AreEqual(Enumerable.Range(0, Rows).Count(r => Synthetic.Int64Value(r, 0) % 3 != 1), total);
    }

    [TestMethod]
    public async Task CreateReadSession_AvroColumnNameAvroCannotSpell_InvalidArgumentUnlessDisplayNames()
    {
        RpcException error = await Assert.ThrowsExactlyAsync<RpcException>(async () => await CreateAsync(Request("flexible", DataFormat.Avro, 1)));
        CreateReadSessionRequest request = Request("flexible", DataFormat.Avro, 1);
        request.ReadSession.ReadOptions = new ReadSession.Types.TableReadOptions
        {
            AvroSerializationOptions = new AvroSerializationOptions { EnableDisplayNameAttribute = true },
        };
        ReadSession session = await CreateAsync(request);
        var rows = new List<object?[]>();
        await AvroReads.ReadAsync(Client, session, session.Streams[0].Name, 0, rows, TestContext.CancellationToken);

        Assert.AreEqual(StatusCode.InvalidArgument, error.StatusCode);
        StringAssert.Contains(error.Status.Detail, "'user-id'");
        RecordSchema schema = AvroReads.Schema(session);
        CollectionAssert.AreEqual(new[] { "\"user-id\"", "\"n\"" }, schema.Fields.Select(f => f.GetProperty("displayName")).ToArray());
        Assert.AreEqual("__col_0", schema.Fields[0].Name);
        CollectionAssert.AreEqual(new object?[] { "a", 1L }, rows[0]);
        CollectionAssert.AreEqual(new object?[] { "b", null }, rows[1]);
    }

    [TestMethod]
    public async Task CreateReadSession_FormatUnspecified_FailsInvalidArgument()
    {
        RpcException error = await Assert.ThrowsExactlyAsync<RpcException>(async () => await CreateAsync(Request("synthetic", DataFormat.Unspecified, 1)));

        Assert.AreEqual(StatusCode.InvalidArgument, error.StatusCode);
        StringAssert.Contains(error.Status.Detail, "ARROW or AVRO");
    }

    private static Field Field(RecordSchema schema, string name) => schema.Fields.Single(f => f.Name == name);

    private static CreateReadSessionRequest Request(string table, DataFormat format, int maxStreams) => new()
    {
        Parent = $"projects/{Project}",
        MaxStreamCount = maxStreams,
        ReadSession = new ReadSession { Table = $"projects/{Project}/datasets/{Dataset}/tables/{table}", DataFormat = format },
    };

    private async Task<ReadSession> CreateAsync(CreateReadSessionRequest request) =>
        await Client.CreateReadSessionAsync(request, cancellationToken: TestContext.CancellationToken);

    /// <summary>A table whose first column has a BigQuery flexible name that Avro cannot spell.</summary>
    private sealed class OneChunkSource : IRowSource
    {
        public SourceSchema Schema { get; } = new([new SourceField("user-id", ColumnType.String, false), new SourceField("n", ColumnType.Int64, true)]);

        public string Description => "flexible names";

        public long? ExpectedRows => 2;

        public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
        {
            ColumnVector[] columns = [BinaryColumn.FromStrings(["a", "b"]), new Int64Column([1, 0], 2, [false, true])];
            await target.SendAsync(new SourceChunk(0, 0, 2, columns), cancellationToken);
        }
    }
}
