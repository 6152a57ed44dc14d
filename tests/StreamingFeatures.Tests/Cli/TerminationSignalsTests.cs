using System.Runtime.InteropServices;
using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Cli;

namespace StreamingFeatures.Tests.Cli;

/// <summary>
/// What a command sees of SIGTERM and Ctrl+C: cancellation, a grace period (on virtual time here), and a second signal
/// that ends it.
/// </summary>
[TestClass]
public sealed class TerminationSignalsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task FirstSignal_CancelsTheCommand_WhichReturnsItsOwnExitCode()
    {
        using var signals = new TerminationSignals(TimeSpan.FromMinutes(1), listen: false, new FakeTimeProvider());
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<int> run = signals.RunAsync(async stop =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return 130;
        });
        await started.Task.WaitAsync(TestContext.CancellationToken);
        signals.Receive(PosixSignal.SIGTERM);

        Assert.AreEqual(130, await run.WaitAsync(Wait, TestContext.CancellationToken), "the drained command's own code");
    }

    [TestMethod]
    public async Task CommandOverstayingTheGrace_EndsWith143()
    {
        var time = new FakeTimeProvider();
        using var signals = new TerminationSignals(TimeSpan.FromMilliseconds(200), listen: false, time);

        Task<int> run = signals.RunAsync(_ => Task.Delay(Timeout.Infinite, TestContext.CancellationToken).ContinueWith(_ => 0, TaskScheduler.Default));
        signals.Receive(PosixSignal.SIGTERM);
        time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.AreEqual(143, await run.WaitAsync(Wait, TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task SecondSignal_EndsAtOnce_WithoutWaitingForTheGrace()
    {
        using var signals = new TerminationSignals(TimeSpan.FromHours(1), listen: false, new FakeTimeProvider());
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The command sees the first signal, then overstays: only the grace (which never passes on this clock) or a
        // second signal can end the run.
        Task<int> run = signals.RunAsync(async stop =>
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancelled.SetResult();
            await Task.Delay(Timeout.Infinite, TestContext.CancellationToken);
            return 0;
        });
        signals.Receive(PosixSignal.SIGINT);
        await cancelled.Task.WaitAsync(Wait, TestContext.CancellationToken);
        Assert.IsFalse(run.IsCompleted, "one Ctrl+C waits for the drain");
        signals.Receive(PosixSignal.SIGINT);

        Assert.AreEqual(130, await run.WaitAsync(Wait, TestContext.CancellationToken));
    }
}
