using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.IntegrationTests.LoadTesting;

/// <summary>
/// Profiles that read, in process on the fixture's Bigtable emulator: target serve reads what its write phase
/// loaded, and a mixed profile reads while it writes; the counts add up and the read percentiles are there.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class ReadLoadTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunAsync_ServeProfile_ReadsEveryLoadedKeyAsPresent()
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        LoadProfile profile = LoadProfileLoader.Parse(
            """
            name: read-serve
            target: serve
            shape: { kind: steady, rate: 1000, duration: 2s }
            keys: { distribution: sequential, keySpace: 2000 }
            measure: { keyRanges: 4, interval: 1s }
            reads:
              shape: { kind: steady, rate: 50, duration: 2s }
              batchSize: 5
              keys: { distribution: zipf, zipfExponent: 1.1 }
              features: [f0, f1, f2]
            """,
            FeatureSetFormat.Yaml);
        using BigtableConnection bigtable = await ConnectAsync(cancellationToken);

        LoadTestResult result = await new LoadTestJob(profile, bigtable).RunAsync(null, cancellationToken);

        Assert.AreEqual(2000, result.Summary.WrittenRows, "the write phase loads every entity once");
        ReadRun reads = result.Reads ?? throw new AssertFailedException("a serve run reports its reads");
        Assert.IsFalse(reads.DuringWrites);
        Assert.AreEqual(100, reads.PlannedRequests);
        Assert.AreEqual(100, reads.Requests, string.Join(", ", reads.Errors.Select(e => $"{e.Key} {e.Value}")));
        Assert.AreEqual(0, reads.FailedRequests);
        Assert.AreEqual(reads.Requests * 5, reads.Keys, "requests × batch = keys");
        Assert.AreEqual(reads.Keys * 3, reads.Statuses["PRESENT"], "every loaded key answers its three features PRESENT");
        Assert.AreEqual(0, reads.Statuses["NOT_FOUND"]);
        Assert.AreEqual(100, reads.LatencyMs.Count);
        Assert.IsGreaterThan(0, reads.LatencyMs.P99);
    }

    [TestMethod]
    public async Task RunAsync_MixedProfileShortened_ReadsAndWritesTogetherWithReadP99()
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        string root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "perf", "profiles")))
        {
            root = Path.GetDirectoryName(root) ?? throw new AssertInconclusiveException("perf/profiles not found above the test binaries");
        }

        LoadProfile profile = LoadProfileLoader.Load(Path.Combine(root, "perf", "profiles", "mixed-read-write.yaml"));
        Assert.IsEmpty(profile.ScaleDurations(0.05), "60 s shortened to 3 s");
        using BigtableConnection bigtable = await ConnectAsync(cancellationToken);

        LoadTestResult result = await new LoadTestJob(profile, bigtable).RunAsync(null, cancellationToken);

        Assert.IsGreaterThan(0, result.Summary.WrittenRows, "the writes ran");
        Assert.AreEqual(result.Summary.PlannedRows, result.Summary.WrittenRows + result.Summary.DeadLetters + result.Summary.UnfinishedRows);
        ReadRun reads = result.Reads ?? throw new AssertFailedException("a mixed run reports its reads");
        Assert.IsTrue(reads.DuringWrites);
        Assert.IsGreaterThan(0, reads.Requests, "the reads ran");
        Assert.AreEqual(reads.PlannedRequests, reads.Requests + reads.FailedRequests + reads.UnfinishedRequests);
        Assert.AreEqual(reads.Requests * 10, reads.Keys);
        Assert.AreEqual(reads.Keys * 4, reads.Statuses.Values.Sum(), "four features answered per key read, whatever their status");
        Assert.IsGreaterThan(0, reads.LatencyMs.P99, "the report holds read p99 while the writes ran");
        StringAssert.Contains(result.ToJson(), "\"reads\"");
    }

    private static Task<BigtableConnection> ConnectAsync(CancellationToken cancellationToken) => BigtableConnection.ConnectAsync(
        new BigtableConnectionOptions { EmulatorHost = EmulatorFixture.Bigtable.Endpoint, Project = "local", Instance = "local" },
        cancellationToken);
}
