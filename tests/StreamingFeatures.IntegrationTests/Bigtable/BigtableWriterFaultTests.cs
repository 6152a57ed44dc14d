using System.IO.Hashing;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.IntegrationTests.Fakes;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.Synthetic;
using StreamingFeatures.Verification;

namespace StreamingFeatures.IntegrationTests.Bigtable;

/// <summary>
/// The whole pipeline against a fake Bigtable that produces the faults the emulator cannot, after Google's client
/// conformance suite (googleapis/cloud-bigtable-clients-test, mutaterows_test.go): only failed entries are retried,
/// non-transient errors are not, RetryInfo delays are honoured, RateLimitInfo slows the writer. Faults are chosen
/// by a stable hash of the row key, so each test recomputes every row's fate and checks it against what the fake saw.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BigtableWriterFaultTests
{
    private const string TableName = "projects/fake/instances/fake/tables/features";

    // The runtime's timer queue counts time on a coarse monotonic clock, so a timer can fire a few milliseconds
    // before a precise clock says its delay has passed. Far below every delay the tests tell apart.
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(5);

    private static readonly BigtableWriterOptions FastRetries = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(5),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        RetryDeadline = TimeSpan.FromSeconds(30),
    };

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_EntriesFailUnavailableOrPermissionDenied_ResendsOnlyFailedEntriesAndDeadLettersPermanentOnes()
    {
        // By key: 5% refused for good at once, 3% unavailable once and then refused for good, 30% unavailable for
        // one to three sends and then written, the rest written at once.
        static FakeStatus? Fault(ByteString key, int send) => Percent(key) switch
        {
            < 5 => new FakeStatus(StatusCode.PermissionDenied),
            < 8 => new FakeStatus(send == 1 ? StatusCode.Unavailable : StatusCode.PermissionDenied),
            < 38 and var p when send <= 1 + (p % 3) => new FakeStatus(StatusCode.Unavailable),
            _ => null,
        };
        static int ExpectedSends(ByteString key) => Percent(key) switch
        {
            < 5 => 1,
            < 8 => 2,
            < 38 and var p => 2 + (p % 3),
            _ => 1,
        };
        static bool Refused(ByteString key) => Percent(key) < 8;

        await using FakeBigtableServer server = await FakeBigtableServer.StartAsync(new FakeFaults { Entry = Fault, EntriesPerResponse = 97 }, TestContext.CancellationToken);
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 10_000, Features = 8, Partitions = 4, Seed = 3 });

        (PipelineResult result, CollectingDeadLetterSink deadLetters, _) = await RunAsync(server, source, Options(VerificationMode.Full));

        IReadOnlyDictionary<ByteString, List<(FakeCall Call, StatusCode Code)>> histories = server.Histories();
        Assert.HasCount(10_000, histories, "every row has its own key and reaches the server at least once");
        ByteString[] refused = [.. histories.Keys.Where(Refused)];
        IntegrityReport report = result.Report;
        Assert.AreEqual(10_000, report.RowsRead);
        Assert.AreEqual(report.RowsRead, report.RowsWritten + report.DeadLettered);
        Assert.AreEqual(refused.Length, report.DeadLettered);
        Assert.IsTrue(report.IsClean, $"missing {report.Missing}, changed {report.Changed}");
        Assert.AreEqual(report.RowsWritten, report.Matched, "every written row reads back from the fake with its digest");
        Assert.AreEqual(histories.Values.Sum(h => h.Count) - 10_000, report.Retries, "retried entries are exactly the resends the server saw");

        AssertDeadLetters(deadLetters, refused, DeadLetterReason.PermanentWriteFailure, nameof(StatusCode.PermissionDenied));
        AssertLandedOnce(server, histories.Keys.Where(k => !Refused(k)), 8);
        Assert.IsFalse(refused.Any(server.Table.Snapshot().ContainsKey), "a refused row must not land");

        var wrong = new List<string>();
        foreach ((ByteString key, List<(FakeCall Call, StatusCode Code)> history) in histories)
        {
            // Every send but the last was answered UNAVAILABLE: nothing delivered or refused is ever sent again.
            StatusCode last = history[^1].Code;
            if (history.Count != ExpectedSends(key)
                || history.SkipLast(1).Any(h => h.Code != StatusCode.Unavailable)
                || last != (Refused(key) ? StatusCode.PermissionDenied : StatusCode.OK))
            {
                wrong.Add($"{key.ToStringUtf8()}: {string.Join(" → ", history.Select(h => $"call {h.Call.Number} {h.Code}"))}, expected {ExpectedSends(key)} sends");
            }
        }

        CollectionAssert.AreEqual(Array.Empty<string>(), wrong.Take(10).ToArray(), $"{wrong.Count} keys were sent other than only while failing retryably");
        IReadOnlyList<FakeCall> calls = server.Calls;
        Assert.IsTrue(calls.All(c => c.Request.TableName == TableName));
        Assert.IsTrue(calls.All(c => c.Request.Entries.Select(e => e.RowKey).Distinct().Count() == c.Request.Entries.Count), "a request carries each row once");
        Assert.IsTrue(
            calls.Any(c => c.EntryCodes.Contains(StatusCode.OK) && c.EntryCodes.Contains(StatusCode.Unavailable) && c.EntryCodes.Contains(StatusCode.PermissionDenied)),
            "some request mixed delivered, transient and permanent entries");
    }

    [TestMethod]
    public async Task Run_WholeCallsFailUnavailableDeadlineExceededOrTimeOut_EverythingLandsOnce()
    {
        // Calls 1-3 UNAVAILABLE, 6-7 DEADLINE_EXCEEDED from the server, and call 9 outlives the client's 2 s attempt timeout.
        var faults = new FakeFaults
        {
            Call = n => n switch
            {
                <= 3 => new FakeStatus(StatusCode.Unavailable),
                6 or 7 => new FakeStatus(StatusCode.DeadlineExceeded),
                _ => null,
            },
            Latency = n => n == 9 ? TimeSpan.FromSeconds(2.5) : TimeSpan.Zero,
        };
        await using FakeBigtableServer server = await FakeBigtableServer.StartAsync(faults, TestContext.CancellationToken);
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 5_000, Features = 4, Seed = 5 });

        (PipelineResult result, CollectingDeadLetterSink deadLetters, _) = await RunAsync(
            server, source, Options(VerificationMode.Full, FastRetries with { AttemptTimeout = TimeSpan.FromSeconds(2) }));

        Assert.AreEqual(0, deadLetters.Count, string.Join(Environment.NewLine, deadLetters.Kept.Take(5)));
        Assert.AreEqual(5_000, result.Report.RowsWritten);
        Assert.AreEqual(5_000, result.Report.Matched);
        IReadOnlyList<FakeCall> calls = server.Calls;
        CollectionAssert.AreEqual(
            new[] { StatusCode.Unavailable, StatusCode.Unavailable, StatusCode.Unavailable, StatusCode.OK, StatusCode.OK, StatusCode.DeadlineExceeded, StatusCode.DeadlineExceeded, StatusCode.OK, StatusCode.Cancelled },
            calls.Take(9).Select(c => c.Status).ToArray());
        AssertLandedOnce(server, calls.SelectMany(c => c.Request.Entries.Select(e => e.RowKey)).Distinct(), 4);
        Assert.AreEqual(5_000, server.Table.Count);
        foreach (FakeCall failed in calls.Where(c => c.Status != StatusCode.OK))
        {
            Assert.IsTrue(
                failed.Request.Entries.All(e => calls.Any(c => c.Number > failed.Number && c.Status == StatusCode.OK && c.Request.Entries.Any(r => r.RowKey == e.RowKey))),
                $"every entry of failed call {failed.Number} ({failed.Status}) is sent again in a later call");
        }
    }

    [TestMethod]
    public async Task Run_EntriesResourceExhaustedWithRetryInfo_ResentNoEarlierThanTheServerDelay()
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(400);
        static bool Throttled(ByteString key) => Percent(key) < 20;
        var faults = new FakeFaults { Entry = (key, send) => Throttled(key) && send == 1 ? new FakeStatus(StatusCode.ResourceExhausted, delay) : null };
        await using FakeBigtableServer server = await FakeBigtableServer.StartAsync(faults, TestContext.CancellationToken);
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 5_000, Features = 4, Seed = 9 });

        (PipelineResult result, CollectingDeadLetterSink deadLetters, _) = await RunAsync(server, source, Options(VerificationMode.Full));

        Assert.AreEqual(0, deadLetters.Count, string.Join(Environment.NewLine, deadLetters.Kept.Take(5)));
        Assert.AreEqual(5_000, result.Report.Matched);
        IReadOnlyDictionary<ByteString, List<(FakeCall Call, StatusCode Code)>> histories = server.Histories();
        AssertLandedOnce(server, histories.Keys, 4);
        var early = new List<string>();
        foreach ((ByteString key, List<(FakeCall Call, StatusCode Code)> history) in histories.Where(h => Throttled(h.Key)))
        {
            Assert.HasCount(2, history, key.ToStringUtf8());
            TimeSpan waited = history[1].Call.Arrived - history[0].Call.Answered;
            if (waited < delay - TimerSlack)
            {
                early.Add($"{key.ToStringUtf8()} resent {waited.TotalMilliseconds:F1} ms after RetryInfo asked for {delay.TotalMilliseconds} ms");
            }
        }

        CollectionAssert.AreEqual(Array.Empty<string>(), early.Take(10).ToArray());
        Assert.IsTrue(histories.Where(h => !Throttled(h.Key)).All(h => h.Value.Count == 1), "entries written at once are never resent");
    }

    [TestMethod]
    public async Task Run_EntriesResourceExhaustedWithoutRetryInfo_DeadLetteredWithoutRetry()
    {
        static bool OverQuota(ByteString key) => Percent(key) < 20;
        var faults = new FakeFaults { Entry = (key, _) => OverQuota(key) ? new FakeStatus(StatusCode.ResourceExhausted) : null };
        await using FakeBigtableServer server = await FakeBigtableServer.StartAsync(faults, TestContext.CancellationToken);
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 5_000, Features = 4, Seed = 10 });

        (PipelineResult result, CollectingDeadLetterSink deadLetters, _) = await RunAsync(server, source, Options(VerificationMode.Full));

        IReadOnlyDictionary<ByteString, List<(FakeCall Call, StatusCode Code)>> histories = server.Histories();
        ByteString[] overQuota = [.. histories.Keys.Where(OverQuota)];
        Assert.IsTrue(histories.Values.All(h => h.Count == 1), "nothing is retried: RESOURCE_EXHAUSTED without RetryInfo is permanent");
        AssertDeadLetters(deadLetters, overQuota, DeadLetterReason.PermanentWriteFailure, nameof(StatusCode.ResourceExhausted));
        AssertLandedOnce(server, histories.Keys.Where(k => !OverQuota(k)), 4);
        Assert.AreEqual(5_000 - overQuota.Length, result.Report.RowsWritten);
        Assert.IsTrue(result.Report.IsClean);
    }

    [TestMethod]
    public async Task Run_CallsResourceExhaustedWithRetryInfoTrailer_ResentNoEarlierThanTheServerDelay()
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(400);
        var faults = new FakeFaults { Call = n => n <= 2 ? new FakeStatus(StatusCode.ResourceExhausted, delay) : null };
        await using FakeBigtableServer server = await FakeBigtableServer.StartAsync(faults, TestContext.CancellationToken);
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 5_000, Features = 4, Seed = 12 });

        (PipelineResult result, CollectingDeadLetterSink deadLetters, _) = await RunAsync(server, source, Options(VerificationMode.Full));

        Assert.AreEqual(0, deadLetters.Count, string.Join(Environment.NewLine, deadLetters.Kept.Take(5)));
        Assert.AreEqual(5_000, result.Report.Matched);
        IReadOnlyList<FakeCall> calls = server.Calls;
        AssertLandedOnce(server, calls.SelectMany(c => c.Request.Entries.Select(e => e.RowKey)).Distinct(), 4);
        foreach (FakeCall failed in calls.Take(2))
        {
            Assert.AreEqual(StatusCode.ResourceExhausted, failed.Status);
            FakeCall resend = calls.First(c => c.Number > failed.Number && c.Request.Entries.Any(e => e.RowKey == failed.Key(0)));
            CollectionAssert.AreEquivalent(failed.Request.Entries.ToArray(), resend.Request.Entries.ToArray(), "the whole failed call is sent again");
            Assert.IsGreaterThanOrEqualTo(delay - TimerSlack, resend.Arrived - failed.Answered, $"call {resend.Number} resent call {failed.Number} before the RetryInfo delay");
        }
    }

    [TestMethod]
    public async Task Run_RateLimitInfoHalvesTheRate_LimitDropsBelowObservedRateAndRequestsSlowDown()
    {
        // One request in flight, answered in 20 ms, sets the pace. From 2 s after the first call (past the writer's
        // first full one-second observation window) the fake asks for half the rate for 10 s; 1.8 s after it first
        // does, the run is stopped and drains.
        TimeSpan limitFrom = TimeSpan.FromSeconds(2);
        var faults = new FakeFaults
        {
            Latency = _ => TimeSpan.FromMilliseconds(20),
            RateLimit = (_, sinceFirst) => sinceFirst >= limitFrom ? new RateLimitInfo { Factor = 0.5, Period = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)) } : null,
        };
        await using FakeBigtableServer server = await FakeBigtableServer.StartAsync(faults, TestContext.CancellationToken);
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 10_000_000, Features = 2, Partitions = 1, ChunkRows = 25 });
        PipelineOptions options = Options(VerificationMode.None, FastRetries with { MaxRequestsInFlight = 1 }) with
        {
            MapParallelism = 1,
            ChunkQueue = 1,
            Batching = new BatchingOptions { MaxRows = 25, Linger = TimeSpan.Zero },
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);

        Task<(PipelineResult Result, CollectingDeadLetterSink DeadLetters, IngestionPipeline Pipeline)> run = RunAsync(server, source, options, stop.Token);
        while (!server.Calls.Any(c => c.RateLimited) && !run.IsCompleted)
        {
            await Task.Delay(50, TestContext.CancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.8), TestContext.CancellationToken);
        await stop.CancelAsync();
        (PipelineResult result, _, IngestionPipeline pipeline) = await run;

        Assert.IsTrue(result.Stopped);
        Assert.IsTrue(result.Report.IsClean, "a stopped run still accounts for every row it read");
        IReadOnlyList<FakeCall> calls = server.Calls;
        TimeSpan first = calls.Min(c => c.Arrived);
        TimeSpan limited = calls.Where(c => c.RateLimited).Min(c => c.Answered);
        double before = Rate(calls, first + TimeSpan.FromSeconds(0.5), first + limitFrom);
        double after = Rate(calls, limited + TimeSpan.FromSeconds(0.2), limited + TimeSpan.FromSeconds(1.7));
        double? limit = pipeline.RequestsPerSecondLimit;
        string figures = $"before {before:F1}/s, after {after:F1}/s, limit {limit:F1}/s";
        TestContext.WriteLine(figures);
        Assert.IsNotNull(limit, figures);
        Assert.IsLessThan(before, limit.Value, figures);
        Assert.IsGreaterThanOrEqualTo(FastRetries.MinRequestsPerSecond, limit.Value, figures);
        Assert.IsLessThan(0.75 * before, after, figures);
        Assert.IsLessThanOrEqualTo(limit.Value + (1 / 1.5), after, "requests keep to the limit, give or take one in the window: " + figures);
    }

    [TestMethod]
    public async Task Run_TableNotFound_DeadLettersEveryRowWithoutRetryAndCompletes()
    {
        var faults = new FakeFaults { Call = _ => new FakeStatus(StatusCode.NotFound) };
        await using FakeBigtableServer server = await FakeBigtableServer.StartAsync(faults, TestContext.CancellationToken);
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 5_000, Features = 4, Seed = 13 });

        (PipelineResult result, CollectingDeadLetterSink deadLetters, _) = await RunAsync(server, source, Options(VerificationMode.Full));

        IReadOnlyDictionary<ByteString, List<(FakeCall Call, StatusCode Code)>> histories = server.Histories();
        Assert.HasCount(5_000, histories);
        Assert.IsTrue(histories.Values.All(h => h.Count == 1), "NOT_FOUND is not retried");
        Assert.AreEqual(0, server.Table.Count);
        Assert.AreEqual(5_000, result.Report.RowsRead);
        Assert.AreEqual(0, result.Report.RowsWritten);
        Assert.AreEqual(5_000, result.Report.DeadLettered);
        Assert.IsTrue(result.Report.IsClean);
        AssertDeadLetters(deadLetters, [.. histories.Keys], DeadLetterReason.PermanentWriteFailure, nameof(StatusCode.NotFound));
    }

    [TestMethod]
    public async Task Run_EveryRequest_CarriesTableNameRoutingHeader()
    {
        // TestMutateRows_Generic_Headers: Bigtable routes on x-goog-request-params (table_name, app_profile_id).
        await using FakeBigtableServer server = await FakeBigtableServer.StartAsync(new FakeFaults(), TestContext.CancellationToken);
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 1_000, Features = 2 });

        await RunAsync(server, source, Options(VerificationMode.None));

        foreach (FakeCall call in server.Calls)
        {
            string? routing = call.Headers.GetValue("x-goog-request-params");
            Assert.IsNotNull(routing, $"call {call.Number} has no x-goog-request-params header");
            StringAssert.Contains(routing, "table_name=" + Uri.EscapeDataString(TableName));
        }
    }

    [TestMethod]
    public async Task Run_EveryRequest_AdvertisesRetryInfoAndRateLimitFeatureFlags()
    {
        // feature_flags.proto: Bigtable sends RetryInfo and RateLimitInfo only to clients that say, in the
        // bigtable-features header, that they act on them (retry_info, mutate_rows_rate_limit2).
        await using FakeBigtableServer server = await FakeBigtableServer.StartAsync(new FakeFaults(), TestContext.CancellationToken);
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = 1_000, Features = 2 });

        await RunAsync(server, source, Options(VerificationMode.None));

        foreach (FakeCall call in server.Calls)
        {
            string? header = call.Headers.GetValue("bigtable-features");
            Assert.IsNotNull(header, $"call {call.Number} has no bigtable-features header");
            FeatureFlags flags = FeatureFlags.Parser.ParseFrom(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/').PadRight((header.Length + 3) / 4 * 4, '=')));
            Assert.IsTrue(flags.RetryInfo, $"call {call.Number}: {flags}");
            Assert.IsTrue(flags.MutateRowsRateLimit2, $"call {call.Number}: {flags}");
        }
    }

    private static int Percent(ByteString key) => (int)(XxHash3.HashToUInt64(key.Span) % 100);

    private static double Rate(IReadOnlyList<FakeCall> calls, TimeSpan from, TimeSpan to) =>
        calls.Count(c => c.Arrived >= from && c.Arrived < to) / (to - from).TotalSeconds;

    private static PipelineOptions Options(VerificationMode mode, BigtableWriterOptions? writer = null) => new()
    {
        MapParallelism = 2,
        Batching = new BatchingOptions { MaxRows = 500, Linger = TimeSpan.FromMilliseconds(5) },
        Writer = writer ?? FastRetries,
        Verification = new VerificationOptions { Mode = mode },
    };

    private static void AssertDeadLetters(CollectingDeadLetterSink deadLetters, IReadOnlyCollection<ByteString> keys, DeadLetterReason reason, string statusCode)
    {
        Assert.AreEqual(keys.Count, deadLetters.Count);
        Assert.AreEqual(deadLetters.Count, deadLetters.Kept.Count, "the sink kept every dead letter");
        CollectionAssert.AreEquivalent(keys.Select(k => RowKeyFormat.Display(k.Span)).ToArray(), deadLetters.Kept.Select(d => d.RowKey).ToArray());
        DeadLetter? odd = deadLetters.Kept.FirstOrDefault(d => d.Reason != reason || d.StatusCode != statusCode);
        Assert.IsNull(odd, $"expected {reason} with {statusCode}");
    }

    private static void AssertLandedOnce(FakeBigtableServer server, IEnumerable<ByteString> keys, int cells)
    {
        IReadOnlyDictionary<ByteString, FakeRow> table = server.Table.Snapshot();
        var wrong = new List<string>();
        foreach (ByteString key in keys)
        {
            if (!table.TryGetValue(key, out FakeRow? row))
            {
                wrong.Add($"{key.ToStringUtf8()} missing");
            }
            else if (row.Applied != 1 || row.Cells.Count != cells)
            {
                wrong.Add($"{key.ToStringUtf8()} applied {row.Applied} times with {row.Cells.Count} cells");
            }
        }

        CollectionAssert.AreEqual(Array.Empty<string>(), wrong.Take(10).ToArray(), $"{wrong.Count} rows did not land exactly once");
    }

    private async Task<(PipelineResult Result, CollectingDeadLetterSink DeadLetters, IngestionPipeline Pipeline)> RunAsync(
        FakeBigtableServer server, SyntheticSource source, PipelineOptions options, CancellationToken stop = default)
    {
        using GrpcChannel channel = server.CreateChannel();
        var deadLetters = new CollectingDeadLetterSink(capacity: 100_000);
        var pipeline = new IngestionPipeline(source.FeatureSet("features"), source, new BigtableTarget(channel.CreateCallInvoker(), TableName), deadLetters, options);
        PipelineResult result = await pipeline.RunAsync(stop == default ? TestContext.CancellationToken : stop);
        return (result, deadLetters, pipeline);
    }
}
