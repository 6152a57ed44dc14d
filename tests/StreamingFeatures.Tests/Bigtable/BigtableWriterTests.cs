using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Telemetry;
using RpcStatus = Google.Rpc.Status;

namespace StreamingFeatures.Tests.Bigtable;

/// <summary>
/// The writer's retry rules on virtual time, against a scripted CallInvoker: every attempt is recorded, every wait
/// is a timer on the fake clock, so a test knows exactly how long the writer chose to wait and sees that nothing
/// happens until the clock is moved. Cases follow Google's conformance suite (cloud-bigtable-clients-test).
/// </summary>
[TestClass]
public sealed class BigtableWriterTests
{
    private const string TableName = "projects/p/instances/i/tables/t";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    [TestMethod]
    public async Task WriteAsync_AllEntriesOk_OneAttemptCarryingEveryRow()
    {
        await using var test = await WriterTest.CreateAsync(rows: 5, AllOk);

        WriteOutcome outcome = await test.Writer.WriteAsync(test.Batch, CancellationToken.None).WaitAsync(Wait);

        Attempt attempt = test.Invoker.Attempts.Single();
        Assert.AreEqual(TableName, attempt.Request.TableName);
        CollectionAssert.AreEqual(test.Keys, attempt.Keys);
        Assert.AreEqual(5, outcome.WrittenRows);
        Assert.AreEqual(1, outcome.Attempts);
        Assert.AreEqual(0, outcome.RetriedEntries);
    }

    [TestMethod]
    public async Task WriteAsync_SomeEntriesFailRetryably_ResendsOnlyThoseAndDeadLettersPermanentSiblings()
    {
        // First attempt: rows 1 and 3 UNAVAILABLE, row 2 PERMISSION_DENIED, the rest OK.
        await using var test = await WriterTest.CreateAsync(rows: 6, (n, request) => n == 1
            ? Answer.Of(Codes(request.Entries.Count, (1, StatusCode.Unavailable, null), (2, StatusCode.PermissionDenied, null), (3, StatusCode.Unavailable, null)))
            : AllOk(n, request));

        Task<WriteOutcome> write = test.Writer.WriteAsync(test.Batch, CancellationToken.None);
        await test.StepToNextAttemptAsync();
        WriteOutcome outcome = await write.WaitAsync(Wait);

        CollectionAssert.AreEqual(new[] { test.Keys[1], test.Keys[3] }, test.Invoker.Attempts[1].Keys, "only the retryable failures are sent again");
        Assert.HasCount(2, test.Invoker.Attempts);
        Assert.AreEqual(5, outcome.WrittenRows);
        CollectionAssert.AreEqual(new[] { false, false, true, false, false, false }, outcome.Failed);
        DeadLetter deadLetter = outcome.WriteFailures.Single();
        Assert.AreEqual(DeadLetterReason.PermanentWriteFailure, deadLetter.Reason);
        Assert.AreEqual(nameof(StatusCode.PermissionDenied), deadLetter.StatusCode);
        Assert.AreEqual(test.Keys[2].ToStringUtf8(), deadLetter.RowKey);
        Assert.AreEqual(2, outcome.RetriedEntries);
    }

    [TestMethod]
    public async Task WriteAsync_RepeatedUnavailable_EachRetryWaitsForAnExponentialBackoff()
    {
        TimeSpan initial = TimeSpan.FromMilliseconds(100);
        await using var test = await WriterTest.CreateAsync(
            rows: 1,
            (n, request) => n <= 6 ? Answer.Of(Codes(1, (0, StatusCode.Unavailable, null))) : AllOk(n, request),
            new BigtableWriterOptions { InitialBackoff = initial, MaxBackoff = TimeSpan.FromMinutes(1) });

        Task<WriteOutcome> write = test.Writer.WriteAsync(test.Batch, CancellationToken.None);
        var waits = new List<TimeSpan>();
        for (int retry = 0; retry < 6; retry++)
        {
            waits.Add(await test.StepToNextAttemptAsync());
        }

        WriteOutcome outcome = await write.WaitAsync(Wait);
        Assert.AreEqual(7, outcome.Attempts);
        Assert.AreEqual(1, outcome.WrittenRows);

        // Polly's decorrelated jitter (RetryHelper.DecorrelatedJitterBackoffV2) varies single waits, but the first
        // k+1 waits add up to initial/1.4 · f(k + u), u in [0, 1), f(t) = 2^t · tanh(√(4t)): the sum doubles per retry.
        static double F(double t) => Math.Pow(2, t) * Math.Tanh(Math.Sqrt(4 * t));
        TimeSpan sum = TimeSpan.Zero;
        for (int k = 0; k < waits.Count; k++)
        {
            sum += waits[k];
            TimeSpan low = initial * (F(k) / 1.4) - (Tick * (k + 1));
            TimeSpan high = initial * (F(k + 1) / 1.4);
            Assert.IsTrue(sum >= low && sum <= high, $"waits {string.Join(", ", waits.Select(w => w.TotalMilliseconds))} ms: after retry {k + 1} the sum {sum.TotalMilliseconds} ms is outside [{low.TotalMilliseconds}, {high.TotalMilliseconds}]");
        }
    }

    [TestMethod]
    public async Task WriteAsync_LongFailure_NoWaitExceedsMaxBackoff()
    {
        TimeSpan max = TimeSpan.FromMilliseconds(250);
        await using var test = await WriterTest.CreateAsync(
            rows: 1,
            (n, request) => n <= 8 ? Answer.Of(Codes(1, (0, StatusCode.Unavailable, null))) : AllOk(n, request),
            new BigtableWriterOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = max });

        Task<WriteOutcome> write = test.Writer.WriteAsync(test.Batch, CancellationToken.None);
        var waits = new List<TimeSpan>();
        for (int retry = 0; retry < 8; retry++)
        {
            waits.Add(await test.StepToNextAttemptAsync());
        }

        Assert.AreEqual(1, (await write.WaitAsync(Wait)).WrittenRows);
        Assert.IsTrue(waits.All(w => w <= max), string.Join(", ", waits.Select(w => w.TotalMilliseconds)));
    }

    [TestMethod]
    public async Task WriteAsync_EntryRetryInfo_WaitsExactlyTheServerDelayInsteadOfBackoff()
    {
        // The backoff would be about 10 s; the server asks for 300 ms and the writer must use exactly that.
        TimeSpan delay = TimeSpan.FromMilliseconds(300);
        await using var test = await WriterTest.CreateAsync(
            rows: 3,
            (n, request) => n == 1
                ? Answer.Of(Codes(3, (0, StatusCode.ResourceExhausted, delay), (1, StatusCode.Unavailable, null)))
                : AllOk(n, request),
            new BigtableWriterOptions { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(1) });

        Task<WriteOutcome> write = test.Writer.WriteAsync(test.Batch, CancellationToken.None);
        TimeSpan waited = await test.StepToNextAttemptAsync();
        WriteOutcome outcome = await write.WaitAsync(Wait);

        Assert.AreEqual(delay, waited);
        CollectionAssert.AreEqual(new[] { test.Keys[0], test.Keys[1] }, test.Invoker.Attempts[1].Keys);
        Assert.AreEqual(3, outcome.WrittenRows);
    }

    [TestMethod]
    public async Task WriteAsync_CallFailsWithRetryInfoTrailer_WaitsExactlyTheServerDelay()
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(700);
        await using var test = await WriterTest.CreateAsync(
            rows: 3,
            (n, request) => n == 1 ? Answer.Failing(CallError(StatusCode.Unavailable, delay)) : AllOk(n, request),
            new BigtableWriterOptions { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(1) });

        Task<WriteOutcome> write = test.Writer.WriteAsync(test.Batch, CancellationToken.None);
        TimeSpan waited = await test.StepToNextAttemptAsync();
        WriteOutcome outcome = await write.WaitAsync(Wait);

        Assert.AreEqual(delay, waited);
        CollectionAssert.AreEqual(test.Keys, test.Invoker.Attempts[1].Keys, "a failed call is sent again whole");
        Assert.AreEqual(3, outcome.WrittenRows);
    }

    [TestMethod]
    public async Task WriteAsync_ResourceExhaustedWithoutRetryInfo_DeadLettersWithoutRetry()
    {
        await using var test = await WriterTest.CreateAsync(rows: 3, (_, _) => Answer.Of(Codes(3, (1, StatusCode.ResourceExhausted, null))));

        WriteOutcome outcome = await test.Writer.WriteAsync(test.Batch, CancellationToken.None).WaitAsync(Wait);

        Assert.HasCount(1, test.Invoker.Attempts);
        Assert.IsFalse(test.Clock.HasTimer, "nothing waits for a retry");
        DeadLetter deadLetter = outcome.WriteFailures.Single();
        Assert.AreEqual(DeadLetterReason.PermanentWriteFailure, deadLetter.Reason);
        Assert.AreEqual(nameof(StatusCode.ResourceExhausted), deadLetter.StatusCode);
        Assert.AreEqual(test.Keys[1].ToStringUtf8(), deadLetter.RowKey);
    }

    [TestMethod]
    public async Task WriteAsync_CallFailsNotFound_DeadLettersEveryRowWithoutRetry()
    {
        await using var test = await WriterTest.CreateAsync(rows: 4, (_, _) => Answer.Failing(CallError(StatusCode.NotFound)));

        WriteOutcome outcome = await test.Writer.WriteAsync(test.Batch, CancellationToken.None).WaitAsync(Wait);

        Assert.HasCount(1, test.Invoker.Attempts);
        Assert.AreEqual(0, outcome.WrittenRows);
        Assert.HasCount(4, outcome.WriteFailures);
        Assert.IsTrue(outcome.WriteFailures.All(d => d.Reason == DeadLetterReason.PermanentWriteFailure && d.StatusCode == nameof(StatusCode.NotFound)));
    }

    [TestMethod]
    public async Task WriteAsync_RetryDeadlinePasses_DeadLettersPendingRowsAsRetriesExhausted()
    {
        TimeSpan deadline = TimeSpan.FromSeconds(1);
        await using var test = await WriterTest.CreateAsync(
            rows: 3,
            (n, request) => n == 1
                ? Answer.Of(Codes(3, (0, StatusCode.Unavailable, null), (2, StatusCode.Unavailable, null)))
                : AllFail(request, StatusCode.Unavailable),
            new BigtableWriterOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(200), RetryDeadline = deadline });
        DateTimeOffset start = test.Clock.GetUtcNow();

        WriteOutcome outcome = await test.RunToCompletionAsync(test.Writer.WriteAsync(test.Batch, CancellationToken.None));

        Assert.IsGreaterThanOrEqualTo(deadline, test.Clock.GetUtcNow() - start, "rows are given up only once the deadline has passed");
        Assert.IsGreaterThan(1, outcome.Attempts);
        Assert.AreEqual(test.Invoker.Attempts.Count, outcome.Attempts);
        Assert.AreEqual(1, outcome.WrittenRows);
        CollectionAssert.AreEquivalent(new[] { test.Keys[0].ToStringUtf8(), test.Keys[2].ToStringUtf8() }, outcome.WriteFailures.Select(d => d.RowKey).ToArray());
        Assert.IsTrue(outcome.WriteFailures.All(d => d.Reason == DeadLetterReason.RetriesExhausted && d.StatusCode == nameof(StatusCode.Unavailable)));
    }

    [TestMethod]
    public async Task WriteAsync_WholeCallUnavailablePastTheDeadline_ThrowsNamingTheCall()
    {
        TimeSpan deadline = TimeSpan.FromSeconds(2);
        await using var test = await WriterTest.CreateAsync(
            rows: 3,
            (_, _) => Answer.Failing(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "Error connecting to subchannel."))),
            new BigtableWriterOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(400), RetryDeadline = deadline });

        Task<WriteOutcome> write = test.Writer.WriteAsync(test.Batch, CancellationToken.None);
        CallGaveUpException error = await Assert.ThrowsExactlyAsync<CallGaveUpException>(() => test.RunToCompletionAsync(write));

        Assert.IsGreaterThan(1, test.Invoker.Attempts.Count);
        Assert.AreEqual(test.Invoker.Attempts.Count, error.Attempts);
        Assert.IsGreaterThanOrEqualTo(deadline - TimeSpan.FromMilliseconds(400), error.Elapsed);
        StringAssert.StartsWith(error.Message, "Bigtable MutateRows on table '");
        StringAssert.Contains(error.Message, $" attempts: Unavailable: Error connecting to subchannel.");
    }

    [TestMethod]
    public async Task WriteAsync_RetryDeadlinePasses_NoAttemptStartsAfterIt()
    {
        TimeSpan deadline = TimeSpan.FromSeconds(1);
        await using var test = await WriterTest.CreateAsync(
            rows: 1,
            (_, _) => Answer.Of(Codes(1, (0, StatusCode.Unavailable, null))),
            new BigtableWriterOptions { InitialBackoff = TimeSpan.FromMilliseconds(300), MaxBackoff = TimeSpan.FromMilliseconds(900), RetryDeadline = deadline });
        DateTimeOffset start = test.Clock.GetUtcNow();

        await test.RunToCompletionAsync(test.Writer.WriteAsync(test.Batch, CancellationToken.None));

        Attempt last = test.Invoker.Attempts[^1];
        Assert.IsLessThan(start + deadline, last.At, $"attempt {last.Number} started {(last.At - start).TotalMilliseconds} ms in, past the {deadline.TotalMilliseconds} ms retry deadline");
    }

    [TestMethod]
    public async Task WriteAsync_RetryInfoBeyondTheDeadline_DeadLettersAtOnce()
    {
        await using var test = await WriterTest.CreateAsync(
            rows: 2,
            (_, _) => Answer.Of(Codes(2, (1, StatusCode.ResourceExhausted, TimeSpan.FromSeconds(2)))),
            new BigtableWriterOptions { RetryDeadline = TimeSpan.FromSeconds(1) });

        WriteOutcome outcome = await test.Writer.WriteAsync(test.Batch, CancellationToken.None).WaitAsync(Wait);

        Assert.HasCount(1, test.Invoker.Attempts);
        Assert.IsFalse(test.Clock.HasTimer, "a wait that ends past the deadline is not started");
        DeadLetter deadLetter = outcome.WriteFailures.Single();
        Assert.AreEqual(DeadLetterReason.RetriesExhausted, deadLetter.Reason);
        Assert.AreEqual(nameof(StatusCode.ResourceExhausted), deadLetter.StatusCode);
    }

    [TestMethod]
    public async Task WriteAsync_MaxAttemptsReached_DeadLettersAsRetriesExhausted()
    {
        await using var test = await WriterTest.CreateAsync(
            rows: 2,
            (_, _) => Answer.Of(Codes(2, (0, StatusCode.Aborted, null))),
            new BigtableWriterOptions { MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(20) });

        WriteOutcome outcome = await test.RunToCompletionAsync(test.Writer.WriteAsync(test.Batch, CancellationToken.None));

        Assert.HasCount(3, test.Invoker.Attempts);
        DeadLetter deadLetter = outcome.WriteFailures.Single();
        Assert.AreEqual(DeadLetterReason.RetriesExhausted, deadLetter.Reason);
        Assert.AreEqual(nameof(StatusCode.Aborted), deadLetter.StatusCode);
        Assert.AreEqual(test.Keys[0].ToStringUtf8(), deadLetter.RowKey);
    }

    [TestMethod]
    public async Task WriteAsync_EntryMissingFromResponse_IsResent()
    {
        // The server answers for rows 0 and 2 only; row 1's fate is unknown, and writes are idempotent.
        await using var test = await WriterTest.CreateAsync(rows: 3, (n, request) => n == 1
            ? Answer.Of(new MutateRowsResponse { Entries = { Entry(0, StatusCode.OK), Entry(2, StatusCode.OK) } })
            : AllOk(n, request));

        Task<WriteOutcome> write = test.Writer.WriteAsync(test.Batch, CancellationToken.None);
        await test.StepToNextAttemptAsync();
        WriteOutcome outcome = await write.WaitAsync(Wait);

        CollectionAssert.AreEqual(new[] { test.Keys[1] }, test.Invoker.Attempts[1].Keys);
        Assert.AreEqual(3, outcome.WrittenRows);
    }

    [TestMethod]
    public async Task WriteAsync_StreamBreaksAfterSomeEntries_ResendsOnlyTheUnanswered()
    {
        // Rows 0 and 1 are answered in a first message, row 2 fails in it; then the stream breaks UNAVAILABLE.
        await using var test = await WriterTest.CreateAsync(rows: 5, (n, request) => n == 1
            ? Answer.Failing(
                CallError(StatusCode.Unavailable),
                new MutateRowsResponse { Entries = { Entry(0, StatusCode.OK), Entry(1, StatusCode.OK), Entry(2, StatusCode.PermissionDenied) } })
            : AllOk(n, request));

        Task<WriteOutcome> write = test.Writer.WriteAsync(test.Batch, CancellationToken.None);
        await test.StepToNextAttemptAsync();
        WriteOutcome outcome = await write.WaitAsync(Wait);

        CollectionAssert.AreEqual(new[] { test.Keys[3], test.Keys[4] }, test.Invoker.Attempts[1].Keys);
        Assert.AreEqual(4, outcome.WrittenRows);
        Assert.AreEqual(test.Keys[2].ToStringUtf8(), outcome.WriteFailures.Single().RowKey);
    }

    [TestMethod]
    public async Task WriteAsync_RateLimitInfo_PacesLaterAttemptsAtTheFactorTimesTheObservedRate()
    {
        // 200 requests per second for a second, then the server asks for half of that.
        await using var test = await WriterTest.CreateAsync(rows: 1, (n, request) => n == 201 ? AllOk(n, request, RateLimit(0.5)) : AllOk(n, request));
        DateTimeOffset observedFrom = test.Clock.GetUtcNow();
        for (int i = 0; i < 201; i++)
        {
            test.Clock.Fake.SetUtcNow(observedFrom + (TimeSpan.FromMilliseconds(5) * i));
            await test.Writer.WriteAsync(test.Batch, CancellationToken.None).WaitAsync(Wait);
        }

        double limit = test.Writer.RateLimiter.RequestsPerSecond!.Value;
        Assert.AreEqual(100, limit, 10, "half of the 200 requests per second observed");

        // Ten writes at once: the first goes now, each next one 1/limit later, and only when the clock gets there.
        DateTimeOffset start = test.Clock.GetUtcNow();
        Task<WriteOutcome>[] writes = [.. Enumerable.Range(0, 10).Select(_ => test.Writer.WriteAsync(test.Batch, CancellationToken.None))];
        await test.Invoker.WaitForAsync(202);
        for (int i = 1; i < writes.Length; i++)
        {
            TimeSpan due = start + (TimeSpan.FromSeconds(1) * (i / limit)) - test.Clock.GetUtcNow();
            test.AdvanceShortOfAWait(due - Tick - Tick, 201 + i);
            test.Clock.Fake.Advance(Tick + Tick);
            Attempt attempt = await test.Invoker.WaitForAsync(202 + i);
            Assert.AreEqual(i / limit, (attempt.At - start).TotalSeconds, 0.0021, $"write {i}");
        }

        await Task.WhenAll(writes).WaitAsync(Wait);
    }

    [TestMethod]
    public async Task WriteAsync_RateLimitInfoWithinTheFirstSecond_LimitFollowsTheRateSoFar()
    {
        // 200 requests per second for half a second, then the server asks for half of that.
        await using var test = await WriterTest.CreateAsync(rows: 1, (n, request) => n == 100 ? AllOk(n, request, RateLimit(0.5)) : AllOk(n, request));
        DateTimeOffset observedFrom = test.Clock.GetUtcNow();
        for (int i = 0; i < 100; i++)
        {
            test.Clock.Fake.SetUtcNow(observedFrom + (TimeSpan.FromMilliseconds(5) * i));
            await test.Writer.WriteAsync(test.Batch, CancellationToken.None).WaitAsync(Wait);
        }

        Assert.IsGreaterThanOrEqualTo(50, test.Writer.RateLimiter.RequestsPerSecond!.Value, "about half the 200 requests per second sent so far, not the 1 per second floor");
    }

    private static Answer AllOk(int attempt, MutateRowsRequest request) => AllOk(attempt, request, null);

    private static Answer AllOk(int attempt, MutateRowsRequest request, RateLimitInfo? rateLimit)
    {
        MutateRowsResponse response = Codes(request.Entries.Count);
        response.RateLimitInfo = rateLimit;
        return Answer.Of(response);
    }

    private static Answer AllFail(MutateRowsRequest request, StatusCode code) =>
        Answer.Of(Codes(request.Entries.Count, [.. request.Entries.Select((_, i) => (i, code, (TimeSpan?)null))]));

    private static RateLimitInfo RateLimit(double factor) => new() { Factor = factor, Period = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)) };

    /// <summary>One response answering <paramref name="count"/> entries: OK unless listed.</summary>
    private static MutateRowsResponse Codes(int count, params (int Index, StatusCode Code, TimeSpan? RetryDelay)[] failures)
    {
        var response = new MutateRowsResponse();
        for (int i = 0; i < count; i++)
        {
            (int Index, StatusCode Code, TimeSpan? RetryDelay) failure = failures.FirstOrDefault(f => f.Index == i);
            response.Entries.Add(failure.Code == StatusCode.OK || failure.Index != i ? Entry(i, StatusCode.OK) : Entry(i, failure.Code, failure.RetryDelay));
        }

        return response;
    }

    private static MutateRowsResponse.Types.Entry Entry(int index, StatusCode code, TimeSpan? retryDelay = null) =>
        new() { Index = index, Status = Status(code, retryDelay) };

    private static RpcStatus Status(StatusCode code, TimeSpan? retryDelay)
    {
        var status = new RpcStatus { Code = (int)code, Message = code == StatusCode.OK ? string.Empty : $"scripted {code}" };
        if (retryDelay is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }

        return status;
    }

    /// <summary>A failed call; with a delay, RetryInfo rides in the grpc-status-details-bin trailer as gRPC carries it.</summary>
    private static RpcException CallError(StatusCode code, TimeSpan? retryDelay = null)
    {
        var trailers = new Metadata();
        if (retryDelay is not null)
        {
            trailers.Add("grpc-status-details-bin", Status(code, retryDelay).ToByteArray());
        }

        return new RpcException(new Grpc.Core.Status(code, $"scripted call {code}"), trailers);
    }

    /// <summary>One attempt as the invoker saw it: its number, the virtual time it started, the decoded request.</summary>
    private sealed record Attempt(int Number, DateTimeOffset At, MutateRowsRequest Request, CallOptions Options)
    {
        public ByteString[] Keys => [.. Request.Entries.Select(e => e.RowKey)];
    }

    /// <summary>What a scripted call returns: response messages, then the end of the stream or an error.</summary>
    private sealed record Answer(IReadOnlyList<MutateRowsResponse> Responses, RpcException? Error)
    {
        public static Answer Of(params MutateRowsResponse[] responses) => new(responses, null);

        public static Answer Failing(RpcException error, params MutateRowsResponse[] before) => new(before, error);
    }

    /// <summary>A writer, a one-batch input and the scripted world around it; disposes all of it.</summary>
    private sealed class WriterTest : IAsyncDisposable
    {
        private readonly PipelineMetrics _metrics = new();

        private WriterTest(MutationBatch batch, Func<int, MutateRowsRequest, Answer> script, BigtableWriterOptions options)
        {
            Batch = batch;
            Keys = [.. Enumerable.Range(0, batch.Rows.RowCount).Select(i => ByteString.CopyFrom(batch.Rows.Key(i)))];
            Invoker = new ScriptedInvoker(script, Clock);
            Writer = new BigtableWriter(new BigtableTarget(Invoker, TableName), options, Clock, _metrics);
        }

        public RecordingClock Clock { get; } = new();

        public ScriptedInvoker Invoker { get; }

        public BigtableWriter Writer { get; }

        public MutationBatch Batch { get; }

        public ByteString[] Keys { get; }

        public static async Task<WriterTest> CreateAsync(int rows, Func<int, MutateRowsRequest, Answer> script, BigtableWriterOptions? options = null) =>
            new(await BatchAsync(rows), script, options ?? new BigtableWriterOptions());

        /// <summary>
        /// After a failed attempt: waits for the writer to start its wait, moves the clock to one tick short of it
        /// (no attempt may happen), then the last tick (the next attempt must happen). Returns the wait.
        /// </summary>
        public async Task<TimeSpan> StepToNextAttemptAsync()
        {
            int before = Invoker.Attempts.Count;
            TimeSpan wait = await Clock.NextTimerAsync(CancellationToken.None);
            AdvanceShortOfAWait(wait - Tick, before);
            Clock.Fake.Advance(Tick);
            await Invoker.WaitForAsync(before + 1);
            return wait;
        }

        /// <summary>
        /// Moves the clock by <paramref name="by"/>, short of every wait the writer started: no timer fires, so nothing
        /// the writer waits on has woken and no attempt can start; the count is then final, without sleeping.
        /// </summary>
        public void AdvanceShortOfAWait(TimeSpan by, int attempts)
        {
            int fired = Clock.Fired;
            Clock.Fake.Advance(by);
            Assert.AreEqual(fired, Clock.Fired, "no wait may end before the clock reaches its time");
            Assert.HasCount(attempts, Invoker.Attempts, "no attempt may happen before the clock reaches its time");
        }

        /// <summary>Moves the clock through every wait the writer starts until <paramref name="write"/> completes.</summary>
        public async Task<WriteOutcome> RunToCompletionAsync(Task<WriteOutcome> write)
        {
            while (true)
            {
                using var stop = new CancellationTokenSource();
                Task<TimeSpan> timer = Clock.NextTimerAsync(stop.Token);
                if (await Task.WhenAny(write, timer).WaitAsync(Wait) == write)
                {
                    await stop.CancelAsync();
                    return await write;
                }

                Clock.Fake.Advance(await timer);
            }
        }

        public ValueTask DisposeAsync()
        {
            Batch.Dispose();
            _metrics.Dispose();
            return ValueTask.CompletedTask;
        }

        /// <summary>One batch as the mini-batcher forms it: synthetic rows mapped, then copied into a fresh buffer.</summary>
        private static async Task<MutationBatch> BatchAsync(int rows)
        {
            var source = new SyntheticSource(new SyntheticSourceOptions { Rows = rows, Features = 3, Partitions = 1, ChunkRows = rows });
            var chunks = new BufferBlock<SourceChunk>();
            await source.RunAsync(chunks, CancellationToken.None);
            Assert.IsTrue(chunks.TryReceive(out SourceChunk? chunk));
            RowMapper mapper = RowMapper.Create(source.FeatureSet("t"), source.Schema, maxEntryBytes: 1 << 20);
            using MappedChunk mapped = mapper.Map(chunk);
            var buffer = new RowBuffer(1 << 12, rows);
            for (int i = 0; i < mapped.Rows.RowCount; i++)
            {
                buffer.Append(mapped.Rows, i);
            }

            return new MutationBatch(1, buffer, [], buffer.RowCount);
        }
    }

    /// <summary>A FakeTimeProvider that also reports each timer started on it, with its due time.</summary>
    private sealed class RecordingClock : TimeProvider
    {
        private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();
        private int _fired;

        public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        public bool HasTimer => _timers.Reader.Count > 0;

        /// <summary>Timer callbacks run so far (FakeTimeProvider runs them inside Advance).</summary>
        public int Fired => Volatile.Read(ref _fired);

        public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

        public override long TimestampFrequency => Fake.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

        public override long GetTimestamp() => Fake.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ITimer timer = Fake.CreateTimer(s => { Interlocked.Increment(ref _fired); callback(s); }, state, dueTime, period);
            if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            {
                _timers.Writer.TryWrite(dueTime);
            }

            return timer;
        }

        public Task<TimeSpan> NextTimerAsync(CancellationToken cancellationToken) => _timers.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(Wait, cancellationToken);
    }

    /// <summary>Answers MutateRows from a script, per attempt number (1 for the first), and records every attempt.</summary>
    private sealed class ScriptedInvoker(Func<int, MutateRowsRequest, Answer> script, TimeProvider time) : CallInvoker
    {
        private readonly Lock _gate = new();
        private readonly List<Attempt> _attempts = [];

        public IReadOnlyList<Attempt> Attempts
        {
            get
            {
                lock (_gate)
                {
                    return [.. _attempts];
                }
            }
        }

        /// <summary>Attempt <paramref name="number"/>, once it has happened (it may come from a timer on another thread).</summary>
        public async Task<Attempt> WaitForAsync(int number)
        {
            using var timeout = new CancellationTokenSource(Wait);
            while (true)
            {
                lock (_gate)
                {
                    if (_attempts.Count >= number)
                    {
                        return _attempts[number - 1];
                    }
                }

                await Task.Delay(1, timeout.Token);
            }
        }

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        {
            Assert.AreEqual("MutateRows", method.Name);
            MutateRowsRequest message = MutateRowsMethod.ToMessage((MutateRowsPayload)(object)request);
            Attempt attempt;
            lock (_gate)
            {
                attempt = new Attempt(_attempts.Count + 1, time.GetUtcNow(), message, options);
                _attempts.Add(attempt);
            }

            var reader = new ScriptedReader(script(attempt.Number, message));
            return new AsyncServerStreamingCall<TResponse>(
                (IAsyncStreamReader<TResponse>)(object)reader,
                Task.FromResult(new Metadata()),
                () => Grpc.Core.Status.DefaultSuccess,
                () => new Metadata(),
                () => { });
        }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();
    }

    /// <summary>Plays a scripted answer: its messages, then the end of the stream or its error.</summary>
    private sealed class ScriptedReader(Answer answer) : IAsyncStreamReader<MutateRowsResponse>
    {
        private int _next = -1;

        public MutateRowsResponse Current => answer.Responses[_next];

        public Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++_next < answer.Responses.Count)
            {
                return Task.FromResult(true);
            }

            return answer.Error is { } error ? Task.FromException<bool>(error) : Task.FromResult(false);
        }
    }
}
