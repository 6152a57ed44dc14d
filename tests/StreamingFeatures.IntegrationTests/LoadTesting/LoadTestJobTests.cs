using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.IntegrationTests.LoadTesting;

/// <summary>
/// <see cref="LoadTestJob"/> in process on the fixture's Bigtable emulator: the job provisions, runs and measures,
/// tells its listener the plan and each interval, and removes the table it made for itself.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LoadTestJobTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunAsync_ShortSteadyProfile_WritesEveryPlannedRowAndDeletesItsOwnTable()
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        LoadProfile profile = Profile("job-steady");
        using BigtableConnection bigtable = await ConnectAsync(cancellationToken);
        var listener = new RecordingListener();

        LoadTestResult result = await new LoadTestJob(profile, bigtable).RunAsync(listener, cancellationToken);

        Assert.AreEqual(3000, result.Summary.PlannedRows);
        Assert.AreEqual(3000, result.Summary.WrittenRows);
        Assert.AreEqual(0, result.Summary.UnfinishedRows);
        Assert.IsNotNull(listener.Start);
        Assert.AreEqual(3000, listener.Start.PlannedRows);
        Assert.AreEqual(4, listener.Start.KeyRanges);
        Assert.IsGreaterThanOrEqualTo(2, listener.Intervals, "the sampler closes an interval every second");
        Assert.IsEmpty(listener.Warnings, string.Join("; ", listener.Warnings));

        string table = result.Environment["table"];
        StringAssert.StartsWith(table, bigtable.TableName("loadtest-job-steady-"));
        var admin = new BigtableTableAdmin.BigtableTableAdminClient(bigtable.Admin);
        RpcException gone = await Assert.ThrowsExactlyAsync<RpcException>(async () => await admin.GetTableAsync(new GetTableRequest { Name = table }, cancellationToken: cancellationToken));
        Assert.AreEqual(StatusCode.NotFound, gone.StatusCode, "the run's own table is deleted afterwards");
    }

    [TestMethod]
    public async Task RunAsync_NamedTable_KeepsTheTableWithItsRows()
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        var target = new Cli.TargetTable(EmulatorFixture.UniqueName("loadjob"));
        try
        {
            using BigtableConnection bigtable = await ConnectAsync(cancellationToken);
            LoadTestResult result = await new LoadTestJob(Profile("job-named", keys: "sequential"), bigtable, new LoadTestJobOptions { Table = target.Id }).RunAsync(null, cancellationToken);

            Assert.AreEqual(3000, result.Summary.WrittenRows);
            Assert.AreEqual(3000, await target.CountRowsAsync(cancellationToken), "a named table is kept, every row in it (sequential keys: one row each)");
        }
        finally
        {
            await target.DeleteAsync();
        }
    }

    [TestMethod]
    public async Task RunAsync_StoppedEarly_ReportsWhatRanWithoutWarning()
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        using BigtableConnection bigtable = await ConnectAsync(cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listener = new RecordingListener(onInterval: () => stop.Cancel());

        LoadTestResult result = await new LoadTestJob(Profile("job-stopped", seconds: 30), bigtable).RunAsync(listener, stop.Token);

        Assert.IsLessThan(result.Summary.PlannedRows, result.Summary.WrittenRows + result.Summary.DeadLetters, "stopped after the first interval of 30 s");
        Assert.IsGreaterThan(0, result.Summary.UnfinishedRows);
        Assert.IsEmpty(listener.Warnings, "a stop is not a drain that ran out: " + string.Join("; ", listener.Warnings));
    }

    private static LoadProfile Profile(string name, int seconds = 3, string keys = "uniform") => LoadProfileLoader.Parse(
        $$"""
        name: {{name}}
        shape: { kind: steady, rate: 1000, duration: {{seconds}}s }
        keys: { distribution: {{keys}}, keySpace: 100000 }
        measure: { keyRanges: 4, interval: 1s, warmup: 0s }
        """,
        FeatureSetFormat.Yaml);

    private static Task<BigtableConnection> ConnectAsync(CancellationToken cancellationToken) => BigtableConnection.ConnectAsync(
        new BigtableConnectionOptions { EmulatorHost = EmulatorFixture.Bigtable.Endpoint, Project = "local", Instance = "local" },
        cancellationToken);

    private sealed class RecordingListener(Action? onInterval = null) : ILoadTestListener
    {
        private int _intervals;

        public LoadTestStart? Start { get; private set; }

        public int Intervals => Volatile.Read(ref _intervals);

        public List<string> Warnings { get; } = [];

        public void Started(LoadTestStart start) => Start = start;

        public void IntervalClosed(LoadInterval interval)
        {
            Interlocked.Increment(ref _intervals);
            onInterval?.Invoke();
        }

        public void Note(string message)
        {
        }

        public void Warning(string message)
        {
            lock (Warnings)
            {
                Warnings.Add(message);
            }
        }
    }
}
