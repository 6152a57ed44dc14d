using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Tests.Serving;

[TestClass]
public sealed class FeatureReaderTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ReadAsync_UnsortedKeysWithDuplicates_AnswersInRequestOrderAndAsksEachKeyOnceSorted()
    {
        var bigtable = new FakeReadRowsInvoker();
        string[] entities = ["u9", "u1", "u5", "u1", "u9", "absent"];
        ServingFixtures.AddRow(bigtable, "u1", 1);
        ServingFixtures.AddRow(bigtable, "u5", 5);
        ServingFixtures.AddRow(bigtable, "u9", 9);
        FeatureReader reader = Reader(bigtable);

        FeatureReadResult result = await reader.ReadAsync([.. entities.Select(e => (EntityKey)e)], ["clicks"], cancellationToken: TestContext.CancellationToken);

        CollectionAssert.AreEqual(entities, result.Entities.Select(e => e.Entity.ToString()).ToArray());
        CollectionAssert.AreEqual(new long[] { 9, 1, 5, 1, 9 }, result.Entities.Take(5).Select(e => e.Features[0].Value.AsInt64()).ToArray());
        Assert.AreEqual(FeatureStatus.NotFound, result.Entities[5].Features[0].Status);
        ReadRowsRequestAssert(bigtable, expectedKeys: 4);
    }

    [TestMethod]
    public async Task ReadAsync_MoreKeysThanASubBatch_SplitsIntoRequestsOfAtMostThatSize()
    {
        var bigtable = new FakeReadRowsInvoker();
        EntityKey[] entities = [.. Enumerable.Range(0, 25).Select(i => (EntityKey)$"u{i}")];
        FeatureReader reader = Reader(bigtable, new FeatureReaderOptions { SubBatchKeys = 10, Concurrency = 3 });

        FeatureReadResult result = await reader.ReadAsync(entities, cancellationToken: TestContext.CancellationToken);

        Assert.HasCount(25, result.Entities);
        CollectionAssert.AreEquivalent(new[] { 10, 10, 5 }, bigtable.Requests.Select(r => r.Rows.RowKeys.Count).ToArray());
        ReadRowsRequestAssert(bigtable, expectedKeys: 25);
    }

    [TestMethod]
    public async Task ReadAsync_MoreKeysThanTheMaximum_RefusedNamingCountAndLimitBeforeAnyCall()
    {
        var bigtable = new FakeReadRowsInvoker();
        FeatureReader reader = Reader(bigtable, new FeatureReaderOptions { MaxBatchKeys = 3 });

        ArgumentException error = await Assert.ThrowsExactlyAsync<ArgumentException>(() => reader.ReadAsync(["a", "b", "c", "d"], cancellationToken: TestContext.CancellationToken));

        StringAssert.StartsWith(error.Message, "entities holds 4 keys; allowed at most 3 per read (FeatureReaderOptions.MaxBatchKeys).");
        Assert.IsEmpty(bigtable.Requests);
    }

    [TestMethod]
    public async Task ReadAsync_UnknownFeature_RefusedNamingItAndTheFeatureSetsFeatures()
    {
        FeatureReader reader = Reader(new FakeReadRowsInvoker());

        ArgumentException error = await Assert.ThrowsExactlyAsync<ArgumentException>(() => reader.ReadAsync(["a"], ["clicks", "clics"], cancellationToken: TestContext.CancellationToken));

        StringAssert.StartsWith(error.Message, "features[1] is 'clics', which feature set of table 'users' does not have; it has: clicks, score, country.");
    }

    [TestMethod]
    [DataRow(StatusCode.Unavailable)]
    [DataRow(StatusCode.Cancelled, DisplayName = "the server reset the stream (HTTP/2 CANCEL), not the caller")]
    public async Task ReadAsync_StreamBreaksAfterTwoRows_RetriesOnlyTheKeysNotYetAnswered(StatusCode status)
    {
        var bigtable = new FakeReadRowsInvoker { BreakAfterRows = 2, BreakStatus = status };
        string[] entities = ["u1", "u2", "u3", "u4", "u5"];
        foreach (string entity in entities)
        {
            ServingFixtures.AddRow(bigtable, entity, entity[1] - '0');
        }

        FeatureReader reader = Reader(bigtable);

        FeatureReadResult result = await reader.ReadAsync([.. entities.Select(e => (EntityKey)e)], ["clicks"], cancellationToken: TestContext.CancellationToken);

        CollectionAssert.AreEqual(new long[] { 1, 2, 3, 4, 5 }, result.Entities.Select(e => e.Features[0].Value.AsInt64()).ToArray());
        ReadRowsRequest[] requests = [.. bigtable.Requests];
        Assert.HasCount(2, requests);
        Assert.AreEqual(5, requests[0].Rows.RowKeys.Count);
        CollectionAssert.AreEqual(requests[0].Rows.RowKeys.Skip(2).ToArray(), requests[1].Rows.RowKeys.ToArray(), "the retry resumes after the last row received");
    }

    [TestMethod]
    public async Task ReadAsync_ServerNeverAnswers_TimesOutNamingTheDeadline()
    {
        FeatureReader reader = Reader(new FakeReadRowsInvoker { Hang = true }, new FeatureReaderOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        TimeoutException error = await Assert.ThrowsExactlyAsync<TimeoutException>(() => reader.ReadAsync(["a"], cancellationToken: TestContext.CancellationToken));

        StringAssert.Contains(error.Message, "passed the 200 ms deadline (FeatureReaderOptions.Timeout)");
    }

    [TestMethod]
    public async Task ReadAsync_NoEntities_AnswersEmptyWithoutACall()
    {
        var bigtable = new FakeReadRowsInvoker();

        FeatureReadResult result = await Reader(bigtable).ReadAsync([], cancellationToken: TestContext.CancellationToken);

        Assert.IsEmpty(result.Entities);
        CollectionAssert.AreEqual(new[] { "clicks", "score", "country" }, result.FeatureNames.ToArray());
        Assert.IsEmpty(bigtable.Requests);
    }

    [TestMethod]
    public void Constructor_ReversedTimeKeys_NotSupportedNamingTheSetting()
    {
        var featureSet = ServingFixtures.FeatureSet();
        featureSet.RowKey.ReversedTimeSuffix = true;

        NotSupportedException error = Assert.ThrowsExactly<NotSupportedException>(() => Reader(new FakeReadRowsInvoker(), featureSet: featureSet));

        StringAssert.Contains(error.Message, "rowKey.reversedTimeSuffix");
    }

    private static FeatureReader Reader(FakeReadRowsInvoker bigtable, FeatureReaderOptions? options = null, StreamingFeatures.FeatureSets.FeatureSetOptions? featureSet = null) =>
        new(new BigtableTarget(bigtable, "projects/p/instances/i/tables/users", "serving"), featureSet ?? ServingFixtures.FeatureSet(), options ?? new FeatureReaderOptions { Retry = FeatureReaderOptions.DefaultRetry with { InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(1) } });

    /// <summary>Every request: sorted distinct keys, the app profile, a filter; <paramref name="expectedKeys"/> keys in all.</summary>
    private static void ReadRowsRequestAssert(FakeReadRowsInvoker bigtable, int expectedKeys)
    {
        ByteString[] keys = [.. bigtable.Requests.SelectMany(r => r.Rows.RowKeys)];
        Assert.HasCount(expectedKeys, keys.Distinct());
        Assert.HasCount(expectedKeys, keys);
        foreach (ReadRowsRequest request in bigtable.Requests)
        {
            CollectionAssert.AreEqual(request.Rows.RowKeys.OrderBy(k => k.ToStringUtf8(), StringComparer.Ordinal).ToArray(), request.Rows.RowKeys.ToArray(), "keys sorted");
            Assert.AreEqual("serving", request.AppProfileId);
            Assert.IsNotNull(request.Filter);
        }
    }
}
