using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Tests.DeadLetters;

[TestClass]
public sealed class JsonLinesDeadLetterSinkTests
{
    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("sf-dl-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public async Task DisposeAsync_NoDeadLetterWritten_CreatesNoFile()
    {
        string path = Path.Combine(_folder, "dl.jsonl");

        await using (new JsonLinesDeadLetterSink(path))
        {
        }

        Assert.IsFalse(File.Exists(path), "a run without dead letters leaves no empty file");
    }

    [TestMethod]
    public async Task WriteAsync_FirstDeadLetter_CreatesFileAndAppendsEachAsOneLine()
    {
        string path = Path.Combine(_folder, "dl.jsonl");
        File.WriteAllText(path, "{\"earlier\":true}\n");

        await using (var sink = new JsonLinesDeadLetterSink(path))
        {
            await sink.WriteAsync(new DeadLetter(DeadLetterReason.EmptyKey, "entity_id is empty", 0, 7), TestContext.CancellationToken);
            await sink.WriteAsync(new DeadLetter(DeadLetterReason.EmptyKey, "entity_id is empty", 0, 9), TestContext.CancellationToken);
            Assert.AreEqual(2, sink.Count);
        }

        string[] lines = File.ReadAllLines(path);
        Assert.HasCount(3, lines);
        StringAssert.Contains(lines[1], "\"offset\":7");
        StringAssert.Contains(lines[2], "\"offset\":9");
    }
}
