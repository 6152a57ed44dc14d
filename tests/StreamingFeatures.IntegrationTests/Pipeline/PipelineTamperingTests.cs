using System.Collections.Concurrent;
using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
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

/// <summary>
/// Full verification on the real cbtemulator catches rows that did not land intact: rows are changed in Bigtable
/// after they were written and before they are read back (an interceptor on the read-back's ReadRows does it), and
/// the report names exactly those rows, while harmless changes (another column, a newer version) are not flagged.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class PipelineTamperingTests
{
    private const long Rows = 20_000;
    private static readonly string Instance = $"projects/{EmulatorFixture.Project}/instances/{EmulatorFixture.Instance}";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task FullVerification_RowsChangedBeforeReadBack_ReportsExactlyThoseRows()
    {
        using GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = Rows, Features = 4, Partitions = 2, Seed = 5 });
        FeatureSetOptions featureSet = source.FeatureSet(EmulatorFixture.UniqueName("tamper"));
        featureSet.Families[SyntheticSource.Family].MaxVersions = 10;
        await TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(channel), Instance, featureSet, TestContext.CancellationToken);
        string table = $"{Instance}/tables/{featureSet.Table}";
        var keys = new RowKeyFormat(featureSet.RowKey);
        ByteString Key(long entity) => ByteString.CopyFrom(keys.ForEntity([SyntheticSource.EntityId(entity)]));
        long Time(long entity) => source.EventTimeMicros(entity);
        var tampering = new Dictionary<ByteString, Mutation[]>
        {
            // Changed: a feature's value at the event timestamp, and a feature's column gone.
            [Key(101)] = [SetCell("f1", Time(101), CellEncoding.Int64(source.Int64Value(101, 1) + 1))],
            [Key(7_002)] = [new Mutation { DeleteFromColumn = new Mutation.Types.DeleteFromColumn { FamilyName = "f", ColumnQualifier = ByteString.CopyFromUtf8("f3") } }],

            // Missing: the whole row.
            [Key(15_003)] = [new Mutation { DeleteFromRow = new Mutation.Types.DeleteFromRow() }],

            // Harmless: a column that is not a feature, and a newer version of a feature.
            [Key(404)] = [SetCell("zz", Time(404), CellEncoding.Int64(1))],
            [Key(9_005)] = [SetCell("f0", Time(9_005) + 60_000_000, CellEncoding.Int64(42))],
        };
        var interceptor = new TamperBeforeRead(new BigtableClient(channel), table, tampering);
        var pipeline = new IngestionPipeline(
            featureSet,
            source,
            new BigtableTarget(channel.Intercept(interceptor), table),
            new CollectingDeadLetterSink(),
            new PipelineOptions { Verification = new VerificationOptions { Mode = VerificationMode.Full } });

        PipelineResult result = await pipeline.RunAsync(TestContext.CancellationToken);

        IntegrityReport report = result.Report;
        Assert.HasCount(tampering.Count, interceptor.Tampered, "every chosen row was tampered with before its read-back");
        Assert.AreEqual(Rows, report.RowsWritten);
        Assert.AreEqual(1, report.Missing);
        Assert.AreEqual(2, report.Changed);
        Assert.AreEqual(Rows - 3, report.Matched);
        Assert.IsFalse(report.IsClean);
        CollectionAssert.AreEquivalent(new[] { Key(15_003).ToStringUtf8() }, report.MissingKeys.ToList());
        CollectionAssert.AreEquivalent(new[] { Key(101).ToStringUtf8(), Key(7_002).ToStringUtf8() }, report.ChangedKeys.ToList());
    }

    private static Mutation SetCell(string qualifier, long timestampMicros, byte[] value) => new()
    {
        SetCell = new Mutation.Types.SetCell { FamilyName = "f", ColumnQualifier = ByteString.CopyFromUtf8(qualifier), TimestampMicros = timestampMicros, Value = ByteString.CopyFrom(value) },
    };

    /// <summary>Before a ReadRows that asks for a chosen key, applies that key's mutations straight to the emulator.</summary>
    private sealed class TamperBeforeRead(BigtableClient client, string table, Dictionary<ByteString, Mutation[]> tampering) : Interceptor
    {
        public ConcurrentBag<ByteString> Tampered { get; } = [];

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
        {
            if (request is ReadRowsRequest read)
            {
                foreach (ByteString key in read.Rows.RowKeys)
                {
                    if (tampering.TryGetValue(key, out Mutation[]? mutations))
                    {
                        var mutate = new MutateRowRequest { TableName = table, RowKey = key };
                        mutate.Mutations.Add(mutations);
                        client.MutateRow(mutate);
                        Tampered.Add(key);
                    }
                }
            }

            return continuation(request, context);
        }
    }
}
