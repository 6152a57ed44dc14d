using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.IntegrationTests.Cli;
using StreamingFeatures.IntegrationTests.Cli.Ingest;
using StreamingFeatures.Jobs;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.IntegrationTests.Jobs;

/// <summary>
/// The ingest job in process, without a host, against the fixture's Bigtable emulator and a stand-in source: a table
/// that may not be created is refused with a typed exception; a source fault ends the job faulted with every row it
/// sent written and the source closed.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class IngestJobTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task ProvisionAsync_ForbidAndNoTable_ThrowsTableMissingNamingTheTable()
    {
        using BigtableConnection bigtable = await ConnectAsync();
        var table = new TargetTable(EmulatorFixture.UniqueName("ijm"));
        FeatureSetOptions featureSet = new RowsIngestSource(10).FeatureSet(table.Id);

        var e = await Assert.ThrowsExactlyAsync<TableMissingException>(() =>
            IngestJob.ProvisionAsync(bigtable, featureSet, new IngestJobOptions { Provisioning = TableProvisioning.Forbid }, Cancellation));

        Assert.AreEqual(table.Name, e.TableName);
        Assert.IsFalse(await table.ScanAsync(_ => { }, Cancellation), "nothing was created");
    }

    [TestMethod]
    public async Task RunAsync_SourceFails_FaultedWithRowsWrittenAndSourceClosed()
    {
        using BigtableConnection bigtable = await ConnectAsync();
        var source = new RowsIngestSource(1_000, failAfterSending: true);
        var table = new TargetTable(EmulatorFixture.UniqueName("ijf"));
        FeatureSetOptions featureSet = source.FeatureSet(table.Id);
        var options = new IngestJobOptions();
        Assert.IsTrue(await IngestJob.ProvisionAsync(bigtable, featureSet, options, Cancellation), "the table is created");
        using var metrics = new PipelineMetrics();

        IngestJobResult result = await new IngestJob(options, featureSet, bigtable, source, metrics, TimeProvider.System).RunAsync(Cancellation);

        Assert.AreEqual(IngestOutcome.Faulted, result.Outcome);
        Assert.IsNotNull(result.Fault);
        Assert.IsNull(result.CloseFailure);
        Assert.AreNotEqual(-1, source.DoneAtClose, "the source is closed after the fault");
    }

    [TestMethod]
    public async Task RunAsync_GraphEnds_TellsTheHostHowBeforeClosingTheSource()
    {
        using BigtableConnection bigtable = await ConnectAsync();
        var source = new RowsIngestSource(1_000, failAfterSending: true);
        var table = new TargetTable(EmulatorFixture.UniqueName("ije"));
        FeatureSetOptions featureSet = source.FeatureSet(table.Id);
        var options = new IngestJobOptions();
        await IngestJob.ProvisionAsync(bigtable, featureSet, options, Cancellation);
        using var metrics = new PipelineMetrics();
        IngestOutcome? told = null;
        PipelineException? toldFault = null;
        long doneAtClose = 0;

        IngestJobResult result = await new IngestJob(options, featureSet, bigtable, source, metrics, TimeProvider.System).RunAsync(Cancellation, (outcome, fault) =>
        {
            told = outcome;
            doneAtClose = source.DoneAtClose;
            toldFault = fault;
            return Task.CompletedTask;
        });

        Assert.AreEqual(IngestOutcome.Faulted, told);
        Assert.AreSame(result.Fault, toldFault);
        Assert.AreEqual(-1, doneAtClose, "the host is told before the source closes");
        Assert.AreNotEqual(-1, source.DoneAtClose, "the source is closed after the host was told");
    }

    private static Task<BigtableConnection> ConnectAsync() =>
        BigtableConnection.ConnectAsync(
            new BigtableConnectionOptions { EmulatorHost = EmulatorFixture.Bigtable.Endpoint, Project = "local", Instance = "local" },
            CancellationToken.None);
}
