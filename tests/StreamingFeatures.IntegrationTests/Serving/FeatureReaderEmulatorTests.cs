using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;

namespace StreamingFeatures.IntegrationTests.Serving;

/// <summary>The feature reader against the real cbtemulator, on rows the ingestion pipeline wrote.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class FeatureReaderEmulatorTests
{
    private static readonly DateTimeOffset s_event = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ReadAsync_EveryTypeWrittenThroughThePipeline_ReadsBackEqualNullAndMissingTold()
    {
        using ServingTable table = await ServingTable.CreateAsync(AllTypes(EmulatorFixture.UniqueName("sv"), NullHandling.Skip), TestContext.CancellationToken);
        await table.WriteAsync(
        [
            $"u1,{ServingTable.Time(s_event)},-9223372036854775808,2.5,true,Zürich,AQL/,2026-02-03T04:05:06.789012Z",
            $"u2,{ServingTable.Time(s_event)},42,-0.125,false,,,1970-01-01T00:00:00Z",
        ], TestContext.CancellationToken);
        var reader = new FeatureReader(table.Target, table.FeatureSet);

        FeatureReadResult result = await reader.ReadAsync(["u1", "ghost", "u2"], cancellationToken: TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "i", "x", "b", "s", "y", "t" }, result.FeatureNames.ToArray());
        IReadOnlyList<FeatureResult> u1 = result.Entities[0].Features;
        Assert.IsTrue(u1.All(f => f.Status == FeatureStatus.Present && f.EventTime == s_event), string.Join(", ", u1));
        Assert.AreEqual(long.MinValue, u1[0].Value.AsInt64());
        Assert.AreEqual(2.5, u1[1].Value.AsFloat64());
        Assert.IsTrue(u1[2].Value.AsBool());
        Assert.AreEqual("Zürich", u1[3].Value.AsString());
        CollectionAssert.AreEqual(new byte[] { 1, 2, 255 }, u1[4].Value.AsBytes().ToArray());
        Assert.AreEqual(new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero).AddTicks(7_890_120), u1[5].Value.AsTimestamp());
        Assert.IsTrue(result.Entities[1].Features.All(f => f.Status == FeatureStatus.NotFound), "an entity never written");
        IReadOnlyList<FeatureResult> u2 = result.Entities[2].Features;
        Assert.AreEqual(42, u2[0].Value.AsInt64());
        Assert.AreEqual(-0.125, u2[1].Value.AsFloat64());
        Assert.IsFalse(u2[2].Value.AsBool());
        Assert.AreEqual(FeatureStatus.NullValue, u2[3].Status, "a null string, nulls skipped: no cell in a row that exists");
        Assert.AreEqual(FeatureStatus.NullValue, u2[4].Status);
        Assert.AreEqual(DateTimeOffset.UnixEpoch, u2[5].Value.AsTimestamp());
    }

    [TestMethod]
    public async Task ReadAsync_AsOfTimes_OlderVersionThenNewerThenOutsideMaxAgeThenNothingYet()
    {
        // Event times near now: the emulator's garbage collection drops cells past the family's max age (1 h).
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset older = Whole(now.AddMinutes(-40));
        DateTimeOffset newer = Whole(now.AddMinutes(-10));
        FeatureSetOptions featureSet = AllTypes(EmulatorFixture.UniqueName("sv"), NullHandling.Skip);
        featureSet.Families["f"] = new ColumnFamilyOptions { MaxAge = TimeSpan.FromHours(1) };
        using ServingTable table = await ServingTable.CreateAsync(featureSet, TestContext.CancellationToken);
        await table.WriteAsync([$"u1,{ServingTable.Time(older)},1,1,true,a,,"], TestContext.CancellationToken);
        await table.WriteAsync([$"u1,{ServingTable.Time(newer)},2,2,true,b,,"], TestContext.CancellationToken);
        var reader = new FeatureReader(table.Target, table.FeatureSet);

        FeatureResult atOlder = (await reader.ReadAsync(["u1"], ["i"], newer.AddMinutes(-1), TestContext.CancellationToken)).Entities[0].Features[0];
        FeatureResult latest = (await reader.ReadAsync(["u1"], ["i"], cancellationToken: TestContext.CancellationToken)).Entities[0].Features[0];
        FeatureResult expired = (await reader.ReadAsync(["u1"], ["i"], now.AddHours(2), TestContext.CancellationToken)).Entities[0].Features[0];
        FeatureResult before = (await reader.ReadAsync(["u1"], ["i"], older.AddSeconds(-1), TestContext.CancellationToken)).Entities[0].Features[0];

        Assert.AreEqual((FeatureStatus.Present, 1L, older), (atOlder.Status, atOlder.Value.AsInt64(), atOlder.EventTime!.Value));
        Assert.AreEqual((FeatureStatus.Present, 2L, newer), (latest.Status, latest.Value.AsInt64(), latest.EventTime!.Value));
        Assert.AreEqual(FeatureStatus.OutsideMaxAge, expired.Status);
        Assert.AreEqual(newer, expired.EventTime, "the newest cell's time, its value left on the server");
        Assert.IsTrue(expired.Value.IsEmpty);
        Assert.AreEqual(FeatureStatus.NotFound, before.Status);
    }

    [TestMethod]
    public async Task ReadAsync_TwoFeatureSetsOneDeletingColumnsOnNull_EachReadsItsOwnTable()
    {
        using ServingTable skip = await ServingTable.CreateAsync(AllTypes(EmulatorFixture.UniqueName("sv"), NullHandling.Skip), TestContext.CancellationToken);
        using ServingTable delete = await ServingTable.CreateAsync(AllTypes(EmulatorFixture.UniqueName("sv"), NullHandling.DeleteColumn), TestContext.CancellationToken);
        string first = $"u1,{ServingTable.Time(s_event)},1,1,true,kept,,";
        string second = $"u1,{ServingTable.Time(s_event.AddMinutes(1))},2,2,true,,,";
        await Task.WhenAll(
            skip.WriteAsync([first], TestContext.CancellationToken).ContinueWith(_ => skip.WriteAsync([second], TestContext.CancellationToken), TaskScheduler.Default).Unwrap(),
            delete.WriteAsync([first], TestContext.CancellationToken).ContinueWith(_ => delete.WriteAsync([second], TestContext.CancellationToken), TaskScheduler.Default).Unwrap());

        FeatureReadResult[] results = await Task.WhenAll(
            new FeatureReader(skip.Target, skip.FeatureSet).ReadAsync(["u1"], ["i", "s"], cancellationToken: TestContext.CancellationToken),
            new FeatureReader(delete.Target, delete.FeatureSet).ReadAsync(["u1"], ["i", "s"], cancellationToken: TestContext.CancellationToken));

        Assert.AreEqual(2, results[0].Entities[0].Features[0].Value.AsInt64());
        Assert.AreEqual(2, results[1].Entities[0].Features[0].Value.AsInt64());
        Assert.AreEqual("kept", results[0].Entities[0].Features[1].Value.AsString(), "nulls skipped: the column keeps its last value");
        Assert.AreEqual(s_event, results[0].Entities[0].Features[1].EventTime);
        Assert.AreEqual(FeatureStatus.NullValue, results[1].Entities[0].Features[1].Status, "nulls delete the column: the null is the answer");
    }

    [TestMethod]
    public async Task ReadAsync_TheMaximumBatch_EveryKeyAnsweredOneMoreRefused()
    {
        using ServingTable table = await ServingTable.CreateAsync(AllTypes(EmulatorFixture.UniqueName("sv"), NullHandling.Skip), TestContext.CancellationToken);
        int max = new FeatureReaderOptions().MaxBatchKeys;
        await table.WriteAsync(Enumerable.Range(0, max).Select(i => $"e{i},{ServingTable.Time(s_event)},{i},0,true,x,,"), TestContext.CancellationToken);
        var reader = new FeatureReader(table.Target, table.FeatureSet);
        EntityKey[] entities = [.. Enumerable.Range(0, max).Reverse().Select(i => (EntityKey)$"e{i}")];

        FeatureReadResult result = await reader.ReadAsync(entities, ["i"], cancellationToken: TestContext.CancellationToken);
        ArgumentException tooMany = await Assert.ThrowsExactlyAsync<ArgumentException>(() => reader.ReadAsync([.. entities, "one-more"], cancellationToken: TestContext.CancellationToken));

        CollectionAssert.AreEqual(Enumerable.Range(0, max).Reverse().Select(i => (long)i).ToArray(), result.Entities.Select(e => e.Features[0].Value.AsInt64()).ToArray());
        StringAssert.StartsWith(tooMany.Message, $"entities holds {max + 1} keys; allowed at most {max} per read");
    }

    /// <summary>One feature of every type in family <c>f</c>, the string and bytes ones nullable.</summary>
    internal static FeatureSetOptions AllTypes(string table, NullHandling nulls) => new()
    {
        Table = table,
        EntityKey = ["user_id"],
        EventTime = "ts",
        Nulls = nulls,
        Families = { ["f"] = new ColumnFamilyOptions() },
        Features =
        [
            new FeatureOptions { Name = "i", Family = "f", Type = FeatureType.Int64 },
            new FeatureOptions { Name = "x", Family = "f", Type = FeatureType.Float64 },
            new FeatureOptions { Name = "b", Family = "f", Type = FeatureType.Bool },
            new FeatureOptions { Name = "s", Family = "f", Type = FeatureType.String, Nullable = true },
            new FeatureOptions { Name = "y", Family = "f", Type = FeatureType.Bytes, Nullable = true },
            new FeatureOptions { Name = "t", Family = "f", Type = FeatureType.Timestamp, Nullable = true },
        ],
    };

    private static DateTimeOffset Whole(DateTimeOffset time) => new(time.Year, time.Month, time.Day, time.Hour, time.Minute, time.Second, TimeSpan.Zero);
}
