using System.Globalization;
using System.Text;
using System.Threading.Tasks.Dataflow;
using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>
/// Hash restrictions a user may write in <c>--row-restriction</c>, read through the emulator with the generated
/// client: every part holds exactly the rows whose FarmFingerprint of the key falls in it, so the parts are disjoint
/// and cover the table. Migrations no longer shard this way (it scans the table once per shard): shards split the
/// streams of one session, the last test here.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BigQueryShardRestrictionTests
{
    private const string Project = "shard-project";
    private const string Dataset = "features";
    private const int Rows = 20_000;
    private const int Shards = 4;

    private static readonly SyntheticSource Synthetic = new(new SyntheticSourceOptions { Rows = Rows, Features = 2 });
    private static BigQueryStorageEmulator s_emulator = null!;
    private static GrpcChannel s_channel = null!;

    public TestContext TestContext { get; set; } = null!;

    private static BigQueryRead.BigQueryReadClient Client => new(s_channel);

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        s_emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), context.CancellationToken);
        s_emulator.AddTable(Project, Dataset, "keyed", new KeyedSource());
        s_emulator.AddTable(Project, Dataset, "synthetic", Synthetic);
        s_channel = s_emulator.CreateChannel();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_channel.Dispose();
        await s_emulator.DisposeAsync();
    }

    [TestMethod]
    public async Task ReadRows_SingleKeyShards_AreDisjointCoverTheTableAndHoldExactlyTheirFingerprints()
    {
        await AssertShardsAsync(
            "keyed",
            shard => $"ABS(MOD(COALESCE(FARM_FINGERPRINT(CAST(`user_id` AS STRING)), 0), {Shards})) = {shard}",
            row => KeyedSource.UserId(row)?.ToString(CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public async Task ReadRows_CompositeKeyShards_AreDisjointCoverTheTableAndHoldExactlyTheirFingerprints()
    {
        await AssertShardsAsync(
            "keyed",
            shard => $"ABS(MOD(COALESCE(FARM_FINGERPRINT(CONCAT(CAST(`user_id` AS STRING), '#', CAST(`region` AS STRING))), 0), {Shards})) = {shard}",
            row => KeyedSource.UserId(row) is { } id && KeyedSource.Region(row) is { } region ? $"{id.ToString(CultureInfo.InvariantCulture)}#{region}" : null);
    }

    [TestMethod]
    public async Task ReadRows_ShardCombinedWithUserRestriction_HoldsTheRowsPassingBoth()
    {
        var union = new List<long>();
        for (int shard = 0; shard < Shards; shard++)
        {
            string restriction = $"(f0 > 0) AND (ABS(MOD(COALESCE(FARM_FINGERPRINT(CAST(`entity_id` AS STRING)), 0), {Shards})) = {shard})";
            List<long> rows = await ReadRowNumbersAsync("synthetic", restriction, "event_time", time => (time - Synthetic.EventTimeMicros(0)) / 1_000);
            int expectedShard = shard;
            long[] expected = [.. Enumerable.Range(0, Rows).Where(r => Synthetic.Int64Value(r, 0) > 0 && ShardOf(SyntheticSource.EntityId(Synthetic.EntityOf(r))) == expectedShard).Select(r => (long)r)];
            CollectionAssert.AreEqual(expected, rows, $"shard {shard}");
            union.AddRange(rows);
        }

        Assert.AreEqual(Enumerable.Range(0, Rows).Count(r => Synthetic.Int64Value(r, 0) > 0), union.Distinct().Count());
    }

    [TestMethod]
    [DataRow("ABS(MOD(COALESCE(FARM_FINGERPRINTS(CAST(`user_id` AS STRING)), 0), 4)) = 1", "FARM_FINGERPRINTS")]
    [DataRow("ABS(MOD(COALESCE(FARM_FINGERPRINT(CAST(`user_id` AS FLOAT64)), 0), 4)) = 1", "FLOAT64")]
    [DataRow("ABS(MOD(COALESCE(FARM_FINGERPRINT(CAST(`nope` AS STRING)), 0), 4)) = 1", "nope")]
    public async Task CreateReadSession_BadShardRestriction_FailsInvalidArgumentNamingIt(string restriction, string named)
    {
        RpcException error = await Assert.ThrowsExactlyAsync<RpcException>(async () =>
            await Client.CreateReadSessionAsync(SessionRequest("keyed", restriction), cancellationToken: TestContext.CancellationToken));

        Assert.AreEqual(StatusCode.InvalidArgument, error.StatusCode);
        StringAssert.Contains(error.Status.Detail, named);
    }

    [TestMethod]
    public async Task RunAsync_FourShardsOfOneSession_ReadDisjointStreamsThatCoverTheTable()
    {
        CallInvoker invoker = s_channel.CreateCallInvoker();
        var options = new BigQuerySourceOptions { Table = $"projects/{Project}/datasets/{Dataset}/tables/keyed", MaxStreamCount = Shards * 2, ShardCount = Shards };
        BigQueryStorageSource first = await BigQueryStorageSource.OpenAsync(invoker, options, TestContext.CancellationToken);
        var readBy = new Dictionary<int, int>();
        long total = 0;
        for (int shard = 0; shard < Shards; shard++)
        {
            BigQueryStorageSource source = shard == 0 ? first : BigQueryStorageSource.Resume(invoker, options with { ShardIndex = shard }, first.Session, first.ArrowSchema);
            var chunks = new BufferBlock<SourceChunk>();
            await source.RunAsync(chunks, TestContext.CancellationToken);
            Assert.IsTrue(chunks.TryReceiveAll(out IList<SourceChunk>? read));
            foreach (SourceChunk chunk in read)
            {
                Assert.AreEqual(shard, chunk.Partition % Shards, $"stream {chunk.Partition} read by shard {shard}");
                Assert.AreEqual(shard, readBy.GetValueOrDefault(chunk.Partition, shard), $"stream {chunk.Partition} read by two shards");
                readBy[chunk.Partition] = shard;
                total += chunk.RowCount;
            }

            Assert.AreEqual(Rows / Shards, source.ExpectedRows, "a shard expects its streams' share");
        }

        Assert.AreEqual(Shards * 2, readBy.Count, "every stream is read");
        Assert.AreEqual(Rows, total, "once");
    }

    private static int ShardOf(string? key) => key is null ? 0 : (int)Math.Abs(FarmFingerprint.Fingerprint64(Encoding.UTF8.GetBytes(key)) % Shards);

    private static CreateReadSessionRequest SessionRequest(string table, string restriction) => new()
    {
        Parent = $"projects/{Project}",
        MaxStreamCount = 3,
        ReadSession = new ReadSession
        {
            Table = $"projects/{Project}/datasets/{Dataset}/tables/{table}",
            DataFormat = DataFormat.Arrow,
            ReadOptions = new ReadSession.Types.TableReadOptions { RowRestriction = restriction },
        },
    };

    private async Task AssertShardsAsync(string table, Func<int, string> restriction, Func<long, string?> key)
    {
        var owner = new int[Rows];
        Array.Fill(owner, -1);
        for (int shard = 0; shard < Shards; shard++)
        {
            List<long> rows = await ReadRowNumbersAsync(table, restriction(shard), "row", value => value);
            int expectedShard = shard;
            long[] expected = [.. Enumerable.Range(0, Rows).Where(r => ShardOf(key(r)) == expectedShard).Select(r => (long)r)];
            CollectionAssert.AreEqual(expected, rows, $"shard {shard}");
            foreach (long row in rows)
            {
                Assert.AreEqual(-1, owner[row], $"row {row} is in shards {owner[row]} and {shard}");
                owner[row] = shard;
            }
        }

        Assert.IsTrue(owner.All(o => o >= 0), "every row is in a shard");
        Assert.IsTrue(Enumerable.Range(0, Rows).Where(r => key(r) is null).All(r => owner[r] == 0), "rows with a null key are in shard 0");
        Assert.IsTrue(Enumerable.Range(0, Shards).All(s => owner.Contains(s)), "every shard holds rows");
    }

    /// <summary>Reads every stream of a restricted session in order, mapping each row to its table row by one INT64 column.</summary>
    private async Task<List<long>> ReadRowNumbersAsync(string table, string restriction, string column, Func<long, long> toRow)
    {
        CreateReadSessionRequest request = SessionRequest(table, restriction);
        request.ReadSession.ReadOptions.SelectedFields.Add(column);
        ReadSession session = await Client.CreateReadSessionAsync(request, cancellationToken: TestContext.CancellationToken);
        var numbers = new List<long>();
        foreach (ReadStream stream in session.Streams)
        {
            var rows = new List<object?[]>();
            await ArrowReads.ReadAsync(Client, session, stream.Name, 0, rows, TestContext.CancellationToken);
            numbers.AddRange(rows.Select(r => toRow((long)r[0]!)));
        }

        return numbers;
    }

    /// <summary>Rows with a row number, a nullable INT64 key (negative, positive, every 17th null) and a nullable STRING region (every 23rd null).</summary>
    private sealed class KeyedSource : IRowSource
    {
        private const int ChunkRows = 1_000;

        public SourceSchema Schema { get; } = new(
        [
            new SourceField("row", ColumnType.Int64, Nullable: false),
            new SourceField("user_id", ColumnType.Int64),
            new SourceField("region", ColumnType.String),
        ]);

        public string Description => "keyed";

        public long? ExpectedRows => Rows;

        public static long? UserId(long row) => row % 17 == 0 ? null : (row * 104_729) - 1_000_000_000;

        public static string? Region(long row) => row % 23 == 0 ? null : "region-" + (row % 5).ToString(CultureInfo.InvariantCulture);

        public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
        {
            for (int first = 0; first < Rows; first += ChunkRows)
            {
                long[] rows = [.. Enumerable.Range(first, ChunkRows).Select(r => (long)r)];
                var chunk = new SourceChunk(0, first, ChunkRows,
                [
                    new Int64Column(rows, ChunkRows),
                    new Int64Column([.. rows.Select(r => UserId(r) ?? 0)], ChunkRows, [.. rows.Select(r => UserId(r) is null)]),
                    BinaryColumn.FromStrings([.. rows.Select(Region)]),
                ]);
                await target.SendAsync(chunk, cancellationToken);
            }
        }
    }
}
