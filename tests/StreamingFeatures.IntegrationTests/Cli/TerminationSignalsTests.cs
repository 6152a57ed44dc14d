using System.Runtime.InteropServices;
using StreamingFeatures.Cli;

namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>What a command sees of SIGTERM and Ctrl+C: cancellation, a grace period, and a second signal that ends it.</summary>
[TestClass]
public sealed class TerminationSignalsTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task FirstSignal_CancelsTheCommand_WhichReturnsItsOwnExitCode()
    {
        using var signals = new TerminationSignals(TimeSpan.FromMinutes(1), listen: false);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<int> run = signals.RunAsync(async stop =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return 130;
        });
        await started.Task.WaitAsync(TestContext.CancellationToken);
        signals.Receive(PosixSignal.SIGTERM);

        Assert.AreEqual(130, await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.CancellationToken), "the drained command's own code");
    }

    [TestMethod]
    public async Task CommandOverstayingTheGrace_EndsWith143()
    {
        using var signals = new TerminationSignals(TimeSpan.FromMilliseconds(200), listen: false);

        Task<int> run = signals.RunAsync(_ => Task.Delay(Timeout.Infinite, TestContext.CancellationToken).ContinueWith(_ => 0, TaskScheduler.Default));
        signals.Receive(PosixSignal.SIGTERM);

        Assert.AreEqual(143, await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task SecondSignal_EndsAtOnce_WithoutWaitingForTheGrace()
    {
        using var signals = new TerminationSignals(TimeSpan.FromHours(1), listen: false);

        Task<int> run = signals.RunAsync(_ => Task.Delay(Timeout.Infinite, TestContext.CancellationToken).ContinueWith(_ => 0, TaskScheduler.Default));
        signals.Receive(PosixSignal.SIGINT);
        await Task.Delay(50, TestContext.CancellationToken);
        Assert.IsFalse(run.IsCompleted, "one Ctrl+C waits for the drain");
        signals.Receive(PosixSignal.SIGINT);

        Assert.AreEqual(130, await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.CancellationToken));
    }
}
