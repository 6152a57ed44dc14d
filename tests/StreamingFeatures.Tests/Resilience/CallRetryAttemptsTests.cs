using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Tests.Resilience;

/// <summary>The attempt bound, backoff without jitter, and a resumed stream's progress resetting both.</summary>
[TestClass]
public sealed class CallRetryAttemptsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static readonly CallRetryOptions Options = new()
    {
        Deadline = TimeSpan.FromMinutes(5),
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromSeconds(2),
        MaxAttempts = 3,
        Jitter = false,
    };

    [TestMethod]
    public async Task ExecuteAsync_AttemptsRunOut_GivesUpAfterMaxAttempts()
    {
        var clock = new FakeTimeProvider();
        var retry = new CallRetry(Options, clock);
        int attempts = 0;

        Task<int> call = retry.ExecuteAsync<int>("BigQuery ReadRows", _ => { attempts++; throw Unavailable(); }, CancellationToken.None);
        CallGaveUpException error = await Assert.ThrowsExactlyAsync<CallGaveUpException>(() => RunAsync(clock, call));

        Assert.AreEqual(3, attempts);
        Assert.AreEqual(3, error.Attempts);
    }

    [TestMethod]
    public void NextDelay_AttemptsRunOut_GivesUpWithTimeLeft()
    {
        Assert.AreEqual(TimeSpan.FromMilliseconds(200), CallRetry.NextDelay(Options, TimeSpan.Zero, attempts: 2, serverDelay: null, jitter: 1));
        Assert.IsNull(CallRetry.NextDelay(Options, TimeSpan.Zero, attempts: 3, serverDelay: null, jitter: 1));
    }

    [TestMethod]
    public async Task ExecuteAsync_ProgressBetweenBreaks_CountsAttemptsFromTheLastProgress()
    {
        var clock = new FakeTimeProvider();
        var retry = new CallRetry(Options, clock);
        int attempts = 0;

        // Six breaks in a row would pass the bound of 3, but every attempt hands rows on before it breaks.
        Task<int> call = retry.ExecuteAsync(
            "BigQuery ReadRows",
            attempt =>
            {
                attempt.Progressed();
                return ++attempts < 6 ? throw Unavailable() : Task.FromResult(attempts);
            },
            CancellationToken.None);

        Assert.AreEqual(6, await RunAsync(clock, call));
    }

    [TestMethod]
    public void PubSubAckAndDeadLetterPresets_KeepTheirFixedDoubling()
    {
        Assert.AreEqual(TimeSpan.FromSeconds(1), CallRetry.Backoff(CallRetryOptions.PubSubAck, 1, jitter: 1));
        Assert.AreEqual(TimeSpan.FromSeconds(32), CallRetry.Backoff(CallRetryOptions.PubSubAck, 9, jitter: 1));
        Assert.AreEqual(TimeSpan.FromMilliseconds(800), CallRetry.Backoff(CallRetryOptions.DeadLetterPublish, 3, jitter: 1));
        Assert.IsFalse(CallRetryOptions.PubSubAck.Jitter);
        Assert.IsFalse(CallRetryOptions.DeadLetterPublish.Jitter);
        Assert.AreEqual(4, CallRetryOptions.DeadLetterPublish.MaxAttempts);
    }

    private static RpcException Unavailable() => new(new Status(StatusCode.Unavailable, "Error connecting to subchannel."));

    /// <summary>Advances virtual time through every backoff until the call ends.</summary>
    private static async Task<T> RunAsync<T>(FakeTimeProvider clock, Task<T> call)
    {
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (!call.IsCompleted && limit.Elapsed < Wait)
        {
            await Task.Delay(1);
            clock.Advance(TimeSpan.FromMilliseconds(50));
        }

        return await call.WaitAsync(Wait);
    }
}
