using Grpc.Core;
using StreamingFeatures.Resilience;
using StreamingFeatures.TestShared;

namespace StreamingFeatures.Tests.Resilience;

[TestClass]
public sealed class CallRetryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static readonly CallRetryOptions Options = new()
    {
        Deadline = TimeSpan.FromSeconds(10),
        AttemptTimeout = TimeSpan.FromSeconds(4),
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromSeconds(2),
    };

    [TestMethod]
    public async Task ExecuteAsync_UnavailableThenAnswer_RetriesUntilItSucceeds()
    {
        var clock = new ArmedClock();
        var retry = new CallRetry(Options, clock);
        int attempts = 0;

        Task<int> call = retry.ExecuteAsync("Bigtable ReadRows on table 't'", _ => ++attempts < 4 ? throw Unavailable() : Task.FromResult(attempts), CancellationToken.None);
        int result = await RunAsync(clock, call);

        Assert.AreEqual(4, result);
    }

    [TestMethod]
    public async Task ExecuteAsync_UnavailablePastTheDeadline_GivesUpNamingCallTimeAndAttempts()
    {
        var clock = new ArmedClock();
        var retry = new CallRetry(Options, clock);
        int attempts = 0;

        Task<int> call = retry.ExecuteAsync<int>("Bigtable ReadRows on table 't'", _ => { attempts++; throw Unavailable(); }, CancellationToken.None);
        CallGaveUpException error = await Assert.ThrowsExactlyAsync<CallGaveUpException>(() => RunAsync(clock, call));

        Assert.AreEqual(attempts, error.Attempts);
        Assert.IsGreaterThan(3, attempts);
        Assert.IsLessThan(Options.Deadline, error.Elapsed, "no attempt starts past the deadline");
        Assert.IsGreaterThan(Options.Deadline - Options.MaxBackoff, error.Elapsed, "it tries until the next wait would pass the deadline");
        StringAssert.Matches(error.Message, new System.Text.RegularExpressions.Regex(@"^Bigtable ReadRows on table 't' gave up after \d+(\.\d)? s and \d+ attempts: Unavailable: Error connecting to subchannel\.$"));
        Assert.IsInstanceOfType<RpcException>(error.InnerException);
    }

    [TestMethod]
    public async Task ExecuteAsync_PermanentError_FailsAtOnceUnchanged()
    {
        var clock = new ArmedClock();
        var retry = new CallRetry(Options, clock);
        int attempts = 0;

        RpcException error = await Assert.ThrowsExactlyAsync<RpcException>(() => retry.ExecuteAsync<int>(
            "call", _ => { attempts++; throw new RpcException(new Status(StatusCode.NotFound, "no table")); }, CancellationToken.None));

        Assert.AreEqual(1, attempts);
        Assert.AreEqual(StatusCode.NotFound, error.StatusCode);
    }

    [TestMethod]
    public async Task ExecuteAsync_EachAttempt_GetsADeadlineWithinTheCallDeadline()
    {
        var clock = new ArmedClock();
        var retry = new CallRetry(Options with { Deadline = TimeSpan.FromSeconds(5) }, clock);
        var deadlines = new List<TimeSpan>();

        Task<int> call = retry.ExecuteAsync<int>(
            "call",
            attempt =>
            {
                deadlines.Add(attempt.Deadline - clock.GetUtcNow().UtcDateTime);
                clock.Fake.Advance(TimeSpan.FromSeconds(2)); // The attempt hangs until near its own deadline.
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, "stalled"));
            },
            CancellationToken.None);
        await Assert.ThrowsExactlyAsync<CallGaveUpException>(() => RunAsync(clock, call));

        Assert.AreEqual(TimeSpan.FromSeconds(4), deadlines[0], "the first attempt gets the attempt timeout");
        Assert.IsLessThan(TimeSpan.FromSeconds(4), deadlines[^1], "a late attempt gets only what is left of the call's deadline");
    }

    [TestMethod]
    [DataRow(1, 0.0, 50)]
    [DataRow(1, 1.0, 100)]
    [DataRow(3, 1.0, 400)]
    [DataRow(10, 1.0, 2000)]
    [DataRow(40, 0.5, 1500)]
    public void Backoff_ByRetryAndJitter_DoublesUpToTheCapWithinHalfToFull(int retry, double jitter, int expectedMs)
    {
        Assert.AreEqual(TimeSpan.FromMilliseconds(expectedMs), CallRetry.Backoff(Options, retry, jitter));
    }

    [TestMethod]
    public void NextDelay_WaitWouldEndPastTheDeadline_GivesUp()
    {
        Assert.IsNull(CallRetry.NextDelay(Options, TimeSpan.FromSeconds(9), attempts: 10, serverDelay: null, jitter: 1));
        Assert.AreEqual(TimeSpan.FromSeconds(2), CallRetry.NextDelay(Options, TimeSpan.FromSeconds(7), attempts: 10, serverDelay: null, jitter: 1));
        Assert.AreEqual(TimeSpan.FromSeconds(1), CallRetry.NextDelay(Options, TimeSpan.FromSeconds(7), attempts: 10, serverDelay: TimeSpan.FromSeconds(1), jitter: 1), "the server's RetryInfo delay wins");
    }

    [TestMethod]
    [DataRow(StatusCode.Unavailable, "Error connecting to subchannel.", true)]
    [DataRow(StatusCode.DeadlineExceeded, "Deadline Exceeded", true)]
    [DataRow(StatusCode.Aborted, "aborted", true)]
    [DataRow(StatusCode.Internal, "Received RST_STREAM with error code 2", true)]
    [DataRow(StatusCode.Internal, "bad proto", false)]
    [DataRow(StatusCode.ResourceExhausted, "quota", false)]
    [DataRow(StatusCode.NotFound, "table", false)]
    [DataRow(StatusCode.PermissionDenied, "no", false)]
    [DataRow(StatusCode.InvalidArgument, "bad", false)]
    public void IsTransient_ByCode_RetriesOnlyWhatWaitingCures(StatusCode code, string detail, bool expected)
    {
        Assert.AreEqual(expected, TransientErrors.IsTransient(new RpcException(new Status(code, detail))));
    }

    [TestMethod]
    public void Validate_BadSettings_NamesEachWithValueAndRange()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new CallRetryOptions { Deadline = TimeSpan.Zero, MaxBackoff = TimeSpan.FromMilliseconds(10) }.Validate());

        StringAssert.Contains(error.Message, "Deadline is 00:00:00; allowed 00:00:01 to 01:00:00.");
        StringAssert.Contains(error.Message, "MaxBackoff (00:00:00.0100000) is below InitialBackoff");
    }

    private static RpcException Unavailable() => new(new Status(StatusCode.Unavailable, "Error connecting to subchannel."));

    /// <summary>
    /// Advances virtual time to the end of each backoff once the retry has armed it, until the call ends: time moves
    /// only while the retry waits, never during an attempt, however slow the machine.
    /// </summary>
    private static async Task<T> RunAsync<T>(ArmedClock clock, Task<T> call)
    {
        using var timeout = new CancellationTokenSource(Wait);
        for (int handled = 0; !call.IsCompleted;)
        {
            if (clock.Armed > handled)
            {
                handled = clock.Armed;
                clock.Fake.Advance(clock.LastArmedFor);
            }
            else
            {
                await Task.Delay(1, timeout.Token);
            }
        }

        return await call;
    }
}
