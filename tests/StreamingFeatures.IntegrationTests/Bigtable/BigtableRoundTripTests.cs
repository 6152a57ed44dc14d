using System.Buffers.Binary;
using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;
using Status = Google.Rpc.Status;

namespace StreamingFeatures.IntegrationTests.Bigtable;

/// <summary>The generated Bigtable clients against the real cbtemulator: admin, MutateRows, ReadRows.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BigtableRoundTripTests
{
    private const string Features = "features";
    private const string Meta = "meta";
    private const int Rows = 2_000;
    private const long BaseTimeMicros = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z, millisecond granularity as Bigtable requires.

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task CreateTable_TwoFamiliesWithGcPolicies_SchemaReadsBack()
    {
        await using var table = await TestTable.CreateAsync(TestContext.CancellationToken);

        Table schema = await table.Admin.GetTableAsync(
            new GetTableRequest { Name = table.Name, View = Table.Types.View.SchemaView },
            cancellationToken: TestContext.CancellationToken);

        Assert.HasCount(2, schema.ColumnFamilies);
        Assert.AreEqual(TestTable.FeaturesGcRule, schema.ColumnFamilies[Features].GcRule);
        Assert.AreEqual(TestTable.MetaGcRule, schema.ColumnFamilies[Meta].GcRule);
    }

    [TestMethod]
    public async Task MutateRows_ThenReadRows_ReturnsEveryCellExactly()
    {
        await using var table = await TestTable.CreateAsync(TestContext.CancellationToken);
        (List<MutateRowsRequest.Types.Entry> entries, TableContents expected) = SampleRows(Rows);

        IReadOnlyList<Status> statuses = await MutateRowsAsync(table, entries, TestContext.CancellationToken);
        TableContents actual = TableContents.FromRows(await ReadAllRowsAsync(table, TestContext.CancellationToken));

        Assert.HasCount(entries.Count, statuses, "MutateRows must report a status for every entry");
        Assert.IsTrue(statuses.All(s => s.Code == (int)StatusCode.OK), "every entry must be written");
        CollectionAssert.AreEqual(Array.Empty<string>(), expected.Differences(actual).Take(20).ToArray());
        Assert.AreEqual(Rows, actual.RowKeys.Count());
    }

    [TestMethod]
    public async Task Differences_OneWriteDroppedAndOneCorrupted_AreBothReported()
    {
        await using var table = await TestTable.CreateAsync(TestContext.CancellationToken);
        (List<MutateRowsRequest.Types.Entry> entries, TableContents expected) = SampleRows(100);
        string dropped = entries[17].RowKey.ToStringUtf8();
        entries.RemoveAt(17);
        entries[41].Mutations[0].SetCell.Value = ByteString.CopyFromUtf8("corrupted");

        await MutateRowsAsync(table, entries, TestContext.CancellationToken);
        IReadOnlyList<string> differences = expected.Differences(TableContents.FromRows(await ReadAllRowsAsync(table, TestContext.CancellationToken)));

        Assert.HasCount(5, differences, string.Join(Environment.NewLine, differences));
        Assert.AreEqual(4, differences.Count(d => d.StartsWith("missing", StringComparison.Ordinal) && d.Contains(dropped, StringComparison.Ordinal)));
        Assert.AreEqual(1, differences.Count(d => d.StartsWith("changed", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task MutateRows_SameCellsAgain_ChangesNothing()
    {
        await using var table = await TestTable.CreateAsync(TestContext.CancellationToken);
        (List<MutateRowsRequest.Types.Entry> entries, TableContents expected) = SampleRows(200);

        await MutateRowsAsync(table, entries, TestContext.CancellationToken);
        await MutateRowsAsync(table, entries, TestContext.CancellationToken);
        TableContents actual = TableContents.FromRows(await ReadAllRowsAsync(table, TestContext.CancellationToken));

        CollectionAssert.AreEqual(Array.Empty<string>(), expected.Differences(actual).Take(20).ToArray());
    }

    /// <summary>Rows with three int64 features, a 2 KiB string feature and a metadata cell; one row holds a 1 MiB value.</summary>
    private static (List<MutateRowsRequest.Types.Entry> Entries, TableContents Expected) SampleRows(int count)
    {
        var entries = new List<MutateRowsRequest.Types.Entry>(count);
        var expected = new TableContents();
        var random = new Random(20261126);
        for (int i = 0; i < count; i++)
        {
            string key = $"{i % 64:x2}#entity-{i:D7}";
            long timestamp = BaseTimeMicros + (i * 1_000L);
            var entry = new MutateRowsRequest.Types.Entry { RowKey = ByteString.CopyFromUtf8(key) };
            void Set(string family, string qualifier, ByteString value)
            {
                entry.Mutations.Add(new Mutation
                {
                    SetCell = new Mutation.Types.SetCell { FamilyName = family, ColumnQualifier = ByteString.CopyFromUtf8(qualifier), TimestampMicros = timestamp, Value = value },
                });
                expected.Add(key, family, qualifier, timestamp, value);
            }

            for (int f = 0; f < 3; f++)
            {
                Set(Features, $"f{f}", Int64(random.NextInt64()));
            }

            byte[] text = new byte[i == count / 2 ? 1 << 20 : 2048];
            random.NextBytes(text);
            Set(Meta, "blob", ByteString.CopyFrom(text));
            entries.Add(entry);
        }

        return (entries, expected);
    }

    private static ByteString Int64(long value)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return ByteString.CopyFrom(bytes);
    }

    private static async Task<IReadOnlyList<Status>> MutateRowsAsync(TestTable table, List<MutateRowsRequest.Types.Entry> entries, CancellationToken cancellationToken)
    {
        var statuses = new Status?[entries.Count];
        const int Batch = 500;
        for (int start = 0; start < entries.Count; start += Batch)
        {
            var request = new MutateRowsRequest { TableName = table.Name, Entries = { entries.Skip(start).Take(Batch) } };
            using AsyncServerStreamingCall<MutateRowsResponse> call = table.Data.MutateRows(request, cancellationToken: cancellationToken);
            await foreach (MutateRowsResponse response in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                foreach (MutateRowsResponse.Types.Entry result in response.Entries)
                {
                    statuses[start + (int)result.Index] = result.Status;
                }
            }
        }

        return statuses.Where(s => s is not null).Select(s => s!).ToList();
    }

    private static async Task<List<Row>> ReadAllRowsAsync(TestTable table, CancellationToken cancellationToken)
    {
        var merger = new ReadRowsMerger();
        var rows = new List<Row>();
        using AsyncServerStreamingCall<ReadRowsResponse> call = table.Data.ReadRows(new ReadRowsRequest { TableName = table.Name }, cancellationToken: cancellationToken);
        await foreach (ReadRowsResponse response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            rows.AddRange(merger.Add(response));
        }

        merger.Complete();
        return rows;
    }

    /// <summary>A uniquely named table with the two test families, deleted on dispose.</summary>
    private sealed class TestTable : IAsyncDisposable
    {
        public static readonly GcRule FeaturesGcRule = new() { MaxNumVersions = 1 };

        public static readonly GcRule MetaGcRule = new()
        {
            Union = new GcRule.Types.Union
            {
                Rules = { new GcRule { MaxAge = Duration.FromTimeSpan(TimeSpan.FromDays(7)) }, new GcRule { MaxNumVersions = 3 } },
            },
        };

        private readonly GrpcChannel _channel;

        private TestTable(GrpcChannel channel, string name)
        {
            _channel = channel;
            Name = name;
            Admin = new BigtableTableAdmin.BigtableTableAdminClient(channel);
            Data = new BigtableClient(channel);
        }

        public string Name { get; }

        public BigtableTableAdmin.BigtableTableAdminClient Admin { get; }

        public BigtableClient Data { get; }

        public static async Task<TestTable> CreateAsync(CancellationToken cancellationToken)
        {
            GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
            string parent = $"projects/{EmulatorFixture.Project}/instances/{EmulatorFixture.Instance}";
            string id = EmulatorFixture.UniqueName("rt");
            var table = new TestTable(channel, $"{parent}/tables/{id}");
            await table.Admin.CreateTableAsync(
                new CreateTableRequest
                {
                    Parent = parent,
                    TableId = id,
                    Table = new Table
                    {
                        ColumnFamilies =
                        {
                            [Features] = new ColumnFamily { GcRule = FeaturesGcRule },
                            [Meta] = new ColumnFamily { GcRule = MetaGcRule },
                        },
                    },
                },
                cancellationToken: cancellationToken);
            return table;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Admin.DeleteTableAsync(new DeleteTableRequest { Name = Name });
            }
            finally
            {
                _channel.Dispose();
            }
        }
    }
}
