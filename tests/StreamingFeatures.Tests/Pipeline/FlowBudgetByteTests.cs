using StreamingFeatures.Pipeline;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>A budget of bytes alone (the Bigtable writer's): bytes in flight stay within it; waiters go in order; cancellation gives back what it held.</summary>
[TestClass]
public sealed class FlowBudgetByteTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [TestMethod]
    public void AcquireAsync_WithinBudget_CompletesAtOnce()
    {
        var budget = FlowBudget.ForBytes(100);

        Assert.IsTrue(budget.AcquireAsync(60, CancellationToken.None).IsCompletedSuccessfully);
        Assert.IsTrue(budget.AcquireAsync(40, CancellationToken.None).IsCompletedSuccessfully);

        Assert.AreEqual(100, budget.Bytes);
    }

    [TestMethod]
    public async Task AcquireAsync_OverBudget_WaitsUntilEnoughIsReleased()
    {
        var budget = FlowBudget.ForBytes(100);
        await budget.AcquireAsync(60, CancellationToken.None);

        Task waiting = budget.AcquireAsync(50, CancellationToken.None);
        Assert.IsFalse(waiting.IsCompleted);
        Assert.AreEqual(60, budget.Bytes);

        budget.Release(5);
        Assert.IsFalse(waiting.IsCompleted);
        budget.Release(5);

        await waiting.WaitAsync(Wait);
        Assert.AreEqual(100, budget.Bytes);
    }

    [TestMethod]
    public async Task AcquireAsync_SeveralWaiters_ServedInOrderNoneJumpsTheQueue()
    {
        var budget = FlowBudget.ForBytes(100);
        await budget.AcquireAsync(100, CancellationToken.None);
        Task first = budget.AcquireAsync(60, CancellationToken.None);
        Task second = budget.AcquireAsync(50, CancellationToken.None);
        Task third = budget.AcquireAsync(10, CancellationToken.None);

        budget.Release(100);

        await first.WaitAsync(Wait);
        Assert.IsFalse(second.IsCompleted);
        Assert.IsFalse(third.IsCompleted, "10 bytes would fit, but the 50 before it came first");
        Assert.AreEqual(60, budget.Bytes);

        budget.Release(60);

        await Task.WhenAll(second, third).WaitAsync(Wait);
        Assert.AreEqual(60, budget.Bytes);
    }

    [TestMethod]
    public void AcquireAsync_NewRequestThatFitsWhileOthersWait_QueuesBehindThem()
    {
        var budget = FlowBudget.ForBytes(100);
        Assert.IsTrue(budget.AcquireAsync(80, CancellationToken.None).IsCompletedSuccessfully);
        Task big = budget.AcquireAsync(50, CancellationToken.None);

        Task small = budget.AcquireAsync(10, CancellationToken.None);

        Assert.IsFalse(big.IsCompleted);
        Assert.IsFalse(small.IsCompleted);
        Assert.AreEqual(80, budget.Bytes);
    }

    [TestMethod]
    public void AcquireAsync_SingleRequestLargerThanBudgetWhenIdle_Passes()
    {
        var budget = FlowBudget.ForBytes(100);

        Assert.IsTrue(budget.AcquireAsync(1_000, CancellationToken.None).IsCompletedSuccessfully);

        Assert.AreEqual(1_000, budget.Bytes);
    }

    [TestMethod]
    public async Task AcquireAsync_LargerThanBudgetWhileBusy_PassesAloneOnceIdle()
    {
        var budget = FlowBudget.ForBytes(100);
        await budget.AcquireAsync(10, CancellationToken.None);
        Task large = budget.AcquireAsync(1_000, CancellationToken.None);
        Task after = budget.AcquireAsync(1, CancellationToken.None);
        Assert.IsFalse(large.IsCompleted);

        budget.Release(10);

        await large.WaitAsync(Wait);
        Assert.IsFalse(after.IsCompleted, "nothing joins an over-budget request in flight");
        Assert.AreEqual(1_000, budget.Bytes);
        budget.Release(1_000);
        await after.WaitAsync(Wait);
        Assert.AreEqual(1, budget.Bytes);
    }

    [TestMethod]
    public async Task AcquireAsync_WaiterCanceled_ThrowsAndHoldsNothing()
    {
        var budget = FlowBudget.ForBytes(100);
        await budget.AcquireAsync(100, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        Task waiting = budget.AcquireAsync(50, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => waiting.WaitAsync(Wait));
        Assert.AreEqual(100, budget.Bytes);
        budget.Release(100);
        Assert.AreEqual(0, budget.Bytes);
        Assert.IsTrue(budget.AcquireAsync(100, CancellationToken.None).IsCompletedSuccessfully, "the whole budget is free again");
    }

    [TestMethod]
    public async Task AcquireAsync_CanceledWaiterAheadInQueue_SkippedOnRelease()
    {
        var budget = FlowBudget.ForBytes(100);
        await budget.AcquireAsync(100, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        Task canceled = budget.AcquireAsync(90, cancel.Token);
        Task behind = budget.AcquireAsync(30, CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => canceled.WaitAsync(Wait));

        budget.Release(100);

        await behind.WaitAsync(Wait);
        Assert.AreEqual(30, budget.Bytes);
    }

    [TestMethod]
    public async Task AcquireAsync_HeadWaiterCanceled_WaiterBehindThatFitsGranted()
    {
        var budget = FlowBudget.ForBytes(100);
        await budget.AcquireAsync(80, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        Task head = budget.AcquireAsync(50, cancel.Token);
        Task behind = budget.AcquireAsync(10, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => head.WaitAsync(Wait));

        // 80 + 10 fits: only the canceled head kept it waiting.
        await behind.WaitAsync(Wait);
        Assert.AreEqual(90, budget.Bytes);
    }

    [TestMethod]
    public async Task AcquireAsync_ManyConcurrentCallers_NeverOverBudgetAndAllReleased()
    {
        var budget = FlowBudget.ForBytes(1_000);
        long peak = 0;
        long inFlight = 0;

        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            for (int n = 0; n < 50; n++)
            {
                long bytes = 50 + (((i * 31) + n) % 200);
                await budget.AcquireAsync(bytes, CancellationToken.None);
                long now = Interlocked.Add(ref inFlight, bytes);
                InterlockedMax(ref peak, now);
                await Task.Yield();
                Interlocked.Add(ref inFlight, -bytes);
                budget.Release(bytes);
            }
        }))).WaitAsync(Wait);

        Assert.IsLessThanOrEqualTo(1_000L, peak);
        Assert.AreEqual(0, budget.Bytes);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current = Interlocked.Read(ref target);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
