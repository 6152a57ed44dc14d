using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

[TestClass]
public sealed class MigrationCheckpointTests
{
    [TestMethod]
    public void ToJson_FromJson_EveryFieldRoundTrips()
    {
        MigrationCheckpoint original = Full();

        MigrationCheckpoint back = MigrationCheckpoint.FromJson(original.ToJson(), "test");

        Assert.AreEqual(original.Format, back.Format);
        CollectionAssert.AreEquivalent(original.Job.ToArray(), back.Job.ToArray());
        Assert.AreEqual(original.Sequence, back.Sequence);
        Assert.AreEqual(original.SnapshotTime, back.SnapshotTime);
        Assert.AreEqual(original.SnapshotTime!.Value.Offset, back.SnapshotTime!.Value.Offset);
        Assert.IsNotNull(back.Session);
        Assert.AreEqual(original.Session!.Name, back.Session.Name);
        CollectionAssert.AreEqual(original.Session.Streams.ToArray(), back.Session.Streams.ToArray());
        Assert.AreEqual(original.Session.ArrowSchemaBase64, back.Session.ArrowSchemaBase64);
        Assert.AreEqual(original.Session.ExpireTime, back.Session.ExpireTime);
        Assert.AreEqual(original.Session.EstimatedRowCount, back.Session.EstimatedRowCount);
        CollectionAssert.AreEqual(original.Partitions.ToArray(), back.Partitions.ToArray(), "partition, offset, every RowStats field, complete");
        Assert.AreEqual(original.Runs, back.Runs);
        Assert.AreEqual(original.ElapsedSeconds, back.ElapsedSeconds);
        Assert.AreEqual(original.CpuSeconds, back.CpuSeconds);
        Assert.AreEqual(original.PeakWorkingSetBytes, back.PeakWorkingSetBytes);
        CollectionAssert.AreEqual(original.MissingKeys.ToArray(), back.MissingKeys.ToArray());
        CollectionAssert.AreEqual(original.ChangedKeys.ToArray(), back.ChangedKeys.ToArray());
        Assert.AreEqual(original.Completed, back.Completed);
        Assert.AreEqual(original.Emulator, back.Emulator);
        Assert.AreEqual(original.SavedAt, back.SavedAt);
        Assert.AreEqual(original.Totals, back.Totals);
    }

    [TestMethod]
    public void ToJson_FromJson_OptionalFieldsAbsent_StayAbsent()
    {
        var original = new MigrationCheckpoint { Sequence = 1, Partitions = [new PartitionEntry(0, 5, default)] };

        string json = original.ToJson();
        MigrationCheckpoint back = MigrationCheckpoint.FromJson(json, "test");

        Assert.IsNull(back.SnapshotTime);
        Assert.IsNull(back.Session);
        Assert.IsNull(back.Emulator);
        Assert.IsEmpty(back.Job);
        Assert.IsFalse(back.Partitions[0].Complete);
        Assert.DoesNotContain("\"session\"", json);
    }

    [TestMethod]
    public void Totals_SumsEveryPartition()
    {
        MigrationCheckpoint checkpoint = Full();

        Assert.AreEqual(checkpoint.Partitions[0].Stats + checkpoint.Partitions[1].Stats + checkpoint.Partitions[2].Stats, checkpoint.Totals);
    }

    [TestMethod]
    public void Committed_MapsPartitionsToOffsetsAndStats()
    {
        MigrationCheckpoint checkpoint = Full();

        IReadOnlyDictionary<int, PartitionCheckpoint> committed = checkpoint.Committed();

        Assert.HasCount(3, committed);
        Assert.AreEqual(new PartitionCheckpoint(1_000, checkpoint.Partitions[0].Stats), committed[0]);
        Assert.AreEqual(new PartitionCheckpoint(0, default), committed[3]);
    }

    [TestMethod]
    public void FromJson_NotJson_CheckpointExceptionNamingWhere()
    {
        var error = Assert.ThrowsExactly<CheckpointException>(() => MigrationCheckpoint.FromJson("{ \"format\": 1, ", "/var/ckpt/job.json"));

        StringAssert.Contains(error.Message, "/var/ckpt/job.json");
        StringAssert.Contains(error.Message, "--restart");
        Assert.IsInstanceOfType<System.Text.Json.JsonException>(error.InnerException);
    }

    [TestMethod]
    [DataRow("[1, 2]")]
    [DataRow("\"checkpoint\"")]
    [DataRow("{ \"sequence\": \"many\" }")]
    public void FromJson_JsonOfOtherShape_CheckpointExceptionNamingWhere(string json)
    {
        var error = Assert.ThrowsExactly<CheckpointException>(() => MigrationCheckpoint.FromJson(json, "table t row r"));

        StringAssert.Contains(error.Message, "table t row r");
    }

    [TestMethod]
    public void FromJson_OtherFormat_CheckpointExceptionNamingWhereAndFormats()
    {
        var error = Assert.ThrowsExactly<CheckpointException>(() => MigrationCheckpoint.FromJson("{ \"format\": 2, \"sequence\": 3 }", "/tmp/c.json"));

        StringAssert.Contains(error.Message, "/tmp/c.json");
        StringAssert.Contains(error.Message, "format 2");
        StringAssert.Contains(error.Message, "format 1");
    }

    [TestMethod]
    public void FromJson_JsonNull_CheckpointExceptionNamingWhere()
    {
        var error = Assert.ThrowsExactly<CheckpointException>(() => MigrationCheckpoint.FromJson("null", "/tmp/c.json"));

        StringAssert.Contains(error.Message, "/tmp/c.json");
        StringAssert.Contains(error.Message, "format none");
    }

    [TestMethod]
    public void Differences_SameJob_None()
    {
        MigrationCheckpoint checkpoint = Full();

        Assert.IsEmpty(checkpoint.Differences(new Dictionary<string, string>(checkpoint.Job)));
    }

    [TestMethod]
    public void Differences_ChangedAddedAndDroppedSettings_ListedInKeyOrder()
    {
        var checkpoint = new MigrationCheckpoint { Job = new Dictionary<string, string> { ["table"] = "t1", ["shard"] = "0/4", ["source"] = "bq" } };

        IReadOnlyList<string> differences = checkpoint.Differences(new Dictionary<string, string> { ["table"] = "t2", ["source"] = "bq", ["featureSet"] = "abc" });

        CollectionAssert.AreEqual(new[] { "featureSet: (none) → abc", "shard: 0/4 → (none)", "table: t1 → t2" }, differences.ToArray());
    }

    [TestMethod]
    public void Entries_OrderedByPartition_CompleteOnlyWhenCommittedToTheEnd()
    {
        var committed = new Dictionary<int, PartitionCheckpoint>
        {
            [2] = new(50, Stats(50)),
            [0] = new(100, Stats(100)),
            [1] = new(99, Stats(99)),
            [3] = new(10, Stats(10)),
        };

        IReadOnlyList<PartitionEntry> entries = MigrationCheckpoint.Entries(committed, new Dictionary<int, long> { [0] = 100, [1] = 100, [2] = 40 });

        CollectionAssert.AreEqual(
            new[]
            {
                new PartitionEntry(0, 100, Stats(100), Complete: true),
                new PartitionEntry(1, 99, Stats(99), Complete: false),
                new PartitionEntry(2, 50, Stats(50), Complete: true),
                new PartitionEntry(3, 10, Stats(10), Complete: false),
            },
            entries.ToArray());
    }

    [TestMethod]
    public void Entries_NoEnds_NoneComplete()
    {
        IReadOnlyList<PartitionEntry> entries = MigrationCheckpoint.Entries(new Dictionary<int, PartitionCheckpoint> { [0] = new(100, Stats(100)) });

        Assert.IsFalse(entries.Single().Complete);
    }

    private static RowStats Stats(long rows) => new(rows, rows, 0, 0, 0, 0, 0, (ulong)rows, 0);

    private static MigrationCheckpoint Full() => new()
    {
        Job = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["source"] = "bigquery:projects/p/datasets/d/tables/t", ["shard"] = "1/4", ["digest"] = "ÿ→✓" },
        Sequence = 42,
        SnapshotTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2)).AddTicks(9),
        Session = new ReadSessionCheckpoint(
            "projects/p/locations/us/sessions/abc",
            ["projects/p/locations/us/sessions/abc/streams/0", "projects/p/locations/us/sessions/abc/streams/1"],
            Convert.ToBase64String([0, 1, 2, 255, 254]),
            new DateTimeOffset(2026, 1, 2, 9, 4, 5, TimeSpan.Zero),
            123_456_789_012),
        Partitions =
        [
            new PartitionEntry(0, 1_000, new RowStats(1_000, 990, 10, 500, 3, 2, 17, ulong.MaxValue - 5, 0x8000_0000_0000_0001), Complete: true),
            new PartitionEntry(1, 250, new RowStats(250, 250, 0, 250, 0, 0, 0, 1, ulong.MaxValue)),
            new PartitionEntry(3, 0, default),
        ],
        Runs = 3,
        ElapsedSeconds = 1234.5678901234,
        CpuSeconds = 0.1 + 0.2,
        PeakWorkingSetBytes = 9_876_543_210,
        MissingKeys = ["user-1", "user-\"2\""],
        ChangedKeys = ["user-3"],
        Completed = true,
        Emulator = new OwnedEmulator("localhost:8086", 4242),
        SavedAt = new DateTimeOffset(2026, 1, 2, 4, 0, 0, TimeSpan.FromHours(-5)),
    };
}
