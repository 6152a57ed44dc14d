using StreamingFeatures.Pipeline;

namespace StreamingFeatures.Tests.Pipeline;

[TestClass]
public sealed class FlowBudgetTests
{
    [TestMethod]
    public void TryAcquire_AtTheMessageBound_Refuses()
    {
        var budget = new FlowBudget(maxMessages: 2, maxBytes: 1_000);

        Assert.IsTrue(budget.TryAcquire(10));
        Assert.IsTrue(budget.TryAcquire(10));
        Assert.IsFalse(budget.TryAcquire(10));
        Assert.AreEqual(2, budget.Messages);
        Assert.AreEqual(20, budget.Bytes);
    }

    [TestMethod]
    public void TryAcquire_PastTheByteBound_RefusesUnlessNothingIsOutstanding()
    {
        var budget = new FlowBudget(maxMessages: 10, maxBytes: 100);

        Assert.IsTrue(budget.TryAcquire(5_000), "a message larger than the bound passes alone, or it never could");
        Assert.IsFalse(budget.TryAcquire(1));
        budget.Release(5_000);
        Assert.IsTrue(budget.TryAcquire(60));
        Assert.IsFalse(budget.TryAcquire(50));
        Assert.IsTrue(budget.TryAcquire(40));
    }

    [TestMethod]
    public async Task AcquireAsync_Full_WaitsForReleaseInArrivalOrder()
    {
        var budget = new FlowBudget(maxMessages: 1, maxBytes: 1_000);
        Assert.IsTrue(budget.TryAcquire(1));

        Task first = budget.AcquireAsync(1, CancellationToken.None);
        Task second = budget.AcquireAsync(1, CancellationToken.None);
        Assert.IsFalse(first.IsCompleted);
        Assert.IsFalse(budget.TryAcquire(1), "no overtaking the waiters");

        budget.Release(1);
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.IsFalse(second.IsCompleted);
        budget.Release(1);
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.AreEqual(1, budget.Messages);
    }

    [TestMethod]
    public async Task AcquireAsync_Cancelled_TakesNothing()
    {
        var budget = new FlowBudget(maxMessages: 1, maxBytes: 1_000);
        Assert.IsTrue(budget.TryAcquire(1));
        using var cancel = new CancellationTokenSource();

        Task waiting = budget.AcquireAsync(1, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => waiting);
        budget.Release(1);
        Assert.AreEqual(0, budget.Messages);
        Assert.IsTrue(budget.TryAcquire(1));
    }
}
