using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Bigtable;

namespace StreamingFeatures.Tests.Bigtable;

/// <summary>The write rate follows Bigtable's RateLimitInfo, on virtual time.</summary>
[TestClass]
public sealed class AdaptiveRateLimiterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    [TestMethod]
    public void AcquireAsync_NoRateLimitInfoYet_Unlimited()
    {
        var limiter = new AdaptiveRateLimiter(new FakeTimeProvider(), 1);

        for (int i = 0; i < 10_000; i++)
        {
            Assert.IsTrue(limiter.AcquireAsync(CancellationToken.None).IsCompletedSuccessfully);
        }

        Assert.IsNull(limiter.RequestsPerSecond);
    }

    [TestMethod]
    public void Apply_HalfAfterTenRequestsPerSecond_RateIsFive()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveRateLimiter(time, 0.1);
        Observe(time, limiter, requestsPerSecond: 10);

        limiter.Apply(0.5, Period);

        Assert.AreEqual(5.0, limiter.RequestsPerSecond!.Value, 1e-9);
    }

    [TestMethod]
    public async Task AcquireAsync_AfterApply_RequestsSpacedAtTheNewRate()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveRateLimiter(time, 0.1);
        Observe(time, limiter, requestsPerSecond: 10);
        limiter.Apply(0.5, Period);

        Assert.IsTrue(limiter.AcquireAsync(CancellationToken.None).IsCompletedSuccessfully);
        Task second = limiter.AcquireAsync(CancellationToken.None).AsTask();
        Task third = limiter.AcquireAsync(CancellationToken.None).AsTask();

        Assert.IsFalse(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.IsFalse(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(Wait);
        Assert.IsFalse(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.IsFalse(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await third.WaitAsync(Wait);
    }

    [TestMethod]
    public async Task AcquireAsync_ManyWaiting_OnePerIntervalOnTheFakeClock()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveRateLimiter(time, 0.1);
        Observe(time, limiter, requestsPerSecond: 20);
        limiter.Apply(0.5, Period);
        Assert.AreEqual(10.0, limiter.RequestsPerSecond!.Value, 1e-9);

        Task[] requests = [.. Enumerable.Range(0, 6).Select(_ => limiter.AcquireAsync(CancellationToken.None).AsTask())];

        for (int passed = 1; passed <= requests.Length; passed++)
        {
            await Task.WhenAll(requests.Take(passed)).WaitAsync(Wait);
            Assert.IsFalse(requests.Skip(passed).Any(r => r.IsCompleted), $"after {passed} intervals");
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
    }

    [TestMethod]
    public void Apply_SecondWithinPeriod_Ignored()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveRateLimiter(time, 0.1);
        Observe(time, limiter, requestsPerSecond: 10);
        limiter.Apply(0.5, Period);

        limiter.Apply(0.5, Period);
        time.Advance(Period - TimeSpan.FromMilliseconds(1));
        limiter.Apply(0.1, Period);

        Assert.AreEqual(5.0, limiter.RequestsPerSecond!.Value, 1e-9);
    }

    [TestMethod]
    public void Apply_AfterPeriod_ScalesTheCurrentRate()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveRateLimiter(time, 0.1);
        Observe(time, limiter, requestsPerSecond: 10);
        limiter.Apply(0.5, Period);

        time.Advance(Period);
        limiter.Apply(0.5, Period);
        Assert.AreEqual(2.5, limiter.RequestsPerSecond!.Value, 1e-9);

        time.Advance(Period);
        limiter.Apply(1.5, Period);
        Assert.AreEqual(3.75, limiter.RequestsPerSecond!.Value, 1e-9);
    }

    [TestMethod]
    public void Apply_ZeroPeriod_HoldsForOneSecond()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveRateLimiter(time, 0.1);
        Observe(time, limiter, requestsPerSecond: 10);
        limiter.Apply(0.5, TimeSpan.Zero);

        limiter.Apply(0.5, TimeSpan.Zero);
        Assert.AreEqual(5.0, limiter.RequestsPerSecond!.Value, 1e-9);
        time.Advance(TimeSpan.FromSeconds(1));
        limiter.Apply(0.5, TimeSpan.Zero);
        Assert.AreEqual(2.5, limiter.RequestsPerSecond!.Value, 1e-9);
    }

    [TestMethod]
    public void Apply_FactorBelowFloor_RateStaysAtFloor()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveRateLimiter(time, 2);
        Observe(time, limiter, requestsPerSecond: 10);

        limiter.Apply(0.01, Period);
        Assert.AreEqual(2.0, limiter.RequestsPerSecond!.Value, 1e-9);

        time.Advance(Period);
        limiter.Apply(0.5, Period);
        Assert.AreEqual(2.0, limiter.RequestsPerSecond!.Value, 1e-9);
    }

    [TestMethod]
    public void Apply_NothingObservedYet_StartsFromFloor()
    {
        var limiter = new AdaptiveRateLimiter(new FakeTimeProvider(), 3);

        limiter.Apply(0.5, Period);

        Assert.AreEqual(3.0, limiter.RequestsPerSecond!.Value, 1e-9);
    }

    [TestMethod]
    public void Apply_FactorAtOrAboveOneWhileUnlimited_StaysUnlimited()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveRateLimiter(time, 1);
        Observe(time, limiter, requestsPerSecond: 10);

        limiter.Apply(1.0, Period);
        time.Advance(Period);
        limiter.Apply(1.3, Period);

        Assert.IsNull(limiter.RequestsPerSecond);
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(-0.5)]
    [DataRow(double.NaN)]
    public void Apply_InvalidFactor_IgnoredAndStartsNoPeriod(double factor)
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveRateLimiter(time, 0.1);
        Observe(time, limiter, requestsPerSecond: 10);

        limiter.Apply(factor, Period);
        Assert.IsNull(limiter.RequestsPerSecond);
        limiter.Apply(0.5, Period);

        Assert.AreEqual(5.0, limiter.RequestsPerSecond!.Value, 1e-9);
    }

    [TestMethod]
    public async Task AcquireAsync_CanceledWhileWaiting_Throws()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveRateLimiter(time, 1);
        limiter.Apply(0.5, Period);
        Assert.IsTrue(limiter.AcquireAsync(CancellationToken.None).IsCompletedSuccessfully);
        using var cancel = new CancellationTokenSource();
        Task waiting = limiter.AcquireAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => waiting.WaitAsync(Wait));
    }

    /// <summary>
    /// One second of requests at <paramref name="requestsPerSecond"/>, evenly spaced, so the limiter's observation
    /// window (one second from construction) closes on the last one.
    /// </summary>
    private static void Observe(FakeTimeProvider time, AdaptiveRateLimiter limiter, int requestsPerSecond)
    {
        for (int i = 0; i < requestsPerSecond; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1) / requestsPerSecond);
            Assert.IsTrue(limiter.AcquireAsync(CancellationToken.None).IsCompletedSuccessfully);
        }
    }
}
