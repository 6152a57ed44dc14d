using System.Diagnostics;
using StreamingFeatures.IntegrationTests.PubSub;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>
/// <c>streamingfeatures ingest</c> killed with SIGKILL mid-stream and started again on the same emulators: acking
/// only after the write means nothing is lost: every event lands with its values and the subscription drains.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class IngestKillTests
{
    private const int Events = 24_000;
    private const int PublishBatch = 200;
    private static readonly TimeSpan PublishEvery = TimeSpan.FromMilliseconds(100); // 2,000 events/s for 12 s

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Ingest_KilledMidStreamAndRestarted_EveryEventLandsWithItsValuesAndTheSubscriptionDrains()
    {
        await using IngestWorkspace workspace = await IngestWorkspace.CreateAsync(ackDeadlineSeconds: 10, Cancellation);
        string folder = Directory.CreateTempSubdirectory("sf-ingest-kill-").FullName;
        using var publishing = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        Task publish = Task.CompletedTask;
        try
        {
            string[] arguments = Arguments(workspace, WriteFeatureSet(workspace, folder));
            using (CliProcess first = CliProcess.Start(folder, arguments, EmulatorHosts()))
            {
                await WaitUntilReadyAsync(first);
                publish = PublishSteadilyAsync(workspace, publishing.Token);
                await first.WaitUntilAsync(async () => await CountRowsAsync(workspace) >= Events / 6, "a sixth of the rows written", TimeSpan.FromSeconds(90), Cancellation);
                first.Kill(entireProcessTree: true);
                Assert.AreEqual(137, first.ExitCode, "killed by SIGKILL");
            }

            long atKill = await CountRowsAsync(workspace);
            Assert.IsLessThan(Events, atKill, "the kill came before every row was written");
            TestContext.WriteLine($"Killed with {atKill} of {Events} rows written.");
            var sinceKill = Stopwatch.StartNew();

            using CliProcess second = CliProcess.Start(folder, arguments, EmulatorHosts());
            string address = await WaitUntilReadyAsync(second);
            await publish;
            await second.WaitUntilAsync(async () => await CountRowsAsync(workspace) >= Events, "every row written", TimeSpan.FromMinutes(3), Cancellation);

            // Leases the killed process held lapse 10 s after its last extension and come back: wait until they
            // have and everything received is acked, then stop gracefully.
            await WaitUntilQuietAsync(second, address, sinceKill);
            await TerminateAsync(second);
            CliResult result = await second.WaitAsync(Cancellation, TimeSpan.FromSeconds(60));
            Assert.AreEqual(0, result.Code, result.Output);

            // Anything still unacked (or in flight to the stopped process) is deliverable again after its deadline.
            await Task.Delay(TimeSpan.FromSeconds(11), Cancellation);
            Assert.IsEmpty(await workspace.PullAsync(workspace.Subscription, 100, Cancellation), "the subscription is drained: " + result.Output);
            Assert.IsEmpty(await workspace.PullAsync(workspace.DeadLetterSubscription, 100, Cancellation), "no event was dead-lettered");
            await KnownEvents.AssertAllLandedAsync(workspace, Events, Cancellation);
        }
        finally
        {
            await publishing.CancelAsync();
            await IgnoreCancellationAsync(publish);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Publishes the events in order, <see cref="PublishBatch"/> every <see cref="PublishEvery"/>.</summary>
    private static async Task PublishSteadilyAsync(IngestWorkspace workspace, CancellationToken cancellationToken)
    {
        List<string> payloads = KnownEvents.Payloads(Events);
        var clock = Stopwatch.StartNew();
        for (int batch = 0; batch * PublishBatch < Events; batch++)
        {
            TimeSpan due = PublishEvery * batch;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            await workspace.PublishAsync(payloads.GetRange(batch * PublishBatch, PublishBatch), cancellationToken);
        }
    }

    private static async Task IgnoreCancellationAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
