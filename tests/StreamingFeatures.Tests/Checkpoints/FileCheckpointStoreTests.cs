using StreamingFeatures.Checkpoints;

namespace StreamingFeatures.Tests.Checkpoints;

[TestClass]
public sealed class FileCheckpointStoreTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sf-ckpt-" + Guid.NewGuid().ToString("N"));

    public TestContext TestContext { get; set; } = null!;

    [TestCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [TestMethod]
    public async Task LoadAsync_NoFile_Null()
    {
        Directory.CreateDirectory(_directory);

        Assert.IsNull(await new FileCheckpointStore(Path.Combine(_directory, "job.json")).LoadAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task LoadAsync_NoDirectory_Null()
    {
        Assert.IsNull(await new FileCheckpointStore(Path.Combine(_directory, "missing", "job.json")).LoadAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task SaveAsync_ThenLoadAsync_SameCheckpoint()
    {
        var store = new FileCheckpointStore(Path.Combine(_directory, "nested", "job.json"));
        MigrationCheckpoint saved = Checkpoint(7);

        await store.SaveAsync(saved, TestContext.CancellationToken);
        MigrationCheckpoint? loaded = await store.LoadAsync(TestContext.CancellationToken);

        Assert.IsNotNull(loaded);
        Assert.AreEqual(7L, loaded.Sequence);
        CollectionAssert.AreEqual(saved.Partitions.ToArray(), loaded.Partitions.ToArray());
        CollectionAssert.AreEquivalent(saved.Job.ToArray(), loaded.Job.ToArray());
    }

    [TestMethod]
    public async Task SaveAsync_Twice_ReplacesAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_directory, "job.json");
        var store = new FileCheckpointStore(path);

        await store.SaveAsync(Checkpoint(1), TestContext.CancellationToken);
        await store.SaveAsync(Checkpoint(2), TestContext.CancellationToken);

        Assert.AreEqual(2L, (await store.LoadAsync(TestContext.CancellationToken))!.Sequence);
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(_directory), "only the checkpoint, no .tmp beside it");
    }

    [TestMethod]
    public async Task SaveAsync_ShorterCheckpointAfterLongerOne_NoTrailingBytes()
    {
        string path = Path.Combine(_directory, "job.json");
        var store = new FileCheckpointStore(path);

        await store.SaveAsync(Checkpoint(1) with { MissingKeys = [.. Enumerable.Range(0, 500).Select(i => $"user-{i}")] }, TestContext.CancellationToken);
        await store.SaveAsync(Checkpoint(2), TestContext.CancellationToken);

        MigrationCheckpoint? loaded = await store.LoadAsync(TestContext.CancellationToken);
        Assert.IsEmpty(loaded!.MissingKeys);
    }

    [TestMethod]
    public async Task LoadAsync_CorruptFile_CheckpointExceptionNamingPath()
    {
        string path = Path.Combine(_directory, "job.json");
        var store = new FileCheckpointStore(path);
        await store.SaveAsync(Checkpoint(3), TestContext.CancellationToken);
        string json = await File.ReadAllTextAsync(path, TestContext.CancellationToken);
        await File.WriteAllTextAsync(path, json[..(json.Length / 2)], TestContext.CancellationToken);

        var error = await Assert.ThrowsExactlyAsync<CheckpointException>(() => store.LoadAsync(TestContext.CancellationToken));

        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public async Task LoadAsync_PathIsADirectory_CheckpointExceptionNamingPath()
    {
        string path = Path.Combine(_directory, "job.json");
        Directory.CreateDirectory(path);

        var error = await Assert.ThrowsExactlyAsync<CheckpointException>(() => new FileCheckpointStore(path).LoadAsync(TestContext.CancellationToken));

        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public async Task SaveAsync_DirectoryIsAFile_CheckpointExceptionNamingPath()
    {
        Directory.CreateDirectory(_directory);
        string blocker = Path.Combine(_directory, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "x", TestContext.CancellationToken);
        string path = Path.Combine(blocker, "job.json");

        var error = await Assert.ThrowsExactlyAsync<CheckpointException>(() => new FileCheckpointStore(path).SaveAsync(Checkpoint(1), TestContext.CancellationToken));

        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public void Description_FullPath()
    {
        Assert.AreEqual(Path.GetFullPath("relative/job.json"), new FileCheckpointStore("relative/job.json").Description);
    }

    private static MigrationCheckpoint Checkpoint(long sequence) => new()
    {
        Sequence = sequence,
        Job = new Dictionary<string, string> { ["source"] = "synthetic" },
        Partitions = [new PartitionEntry(0, sequence * 10, new RowStats(sequence * 10, sequence * 10, 0, 0, 0, 0, 0, 5, 6))],
    };
}
