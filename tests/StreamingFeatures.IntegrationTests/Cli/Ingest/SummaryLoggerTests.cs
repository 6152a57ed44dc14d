using Microsoft.Extensions.Logging;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Telemetry;
using StreamingFeatures.TestShared;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>The summary line, on virtual time: once per interval, with the figures of the pipeline and the source. No I/O.</summary>
[TestClass]
public sealed class SummaryLoggerTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ExecuteAsync_EveryMinute_LogsRateCountsAndFreshness()
    {
        var time = new ArmedClock(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var state = new IngestState();
        var source = new FakeIngestSource
        {
            Status = new PubSubSourceStatus(2, 7, 700, 600, 590, 3, null, null),
            Freshness = new LatencySummary(590, TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(1)),
        };
        state.Running(source);
        using var metrics = new PipelineMetrics();
        var logger = new ListLogger();
        using var summary = new SummaryLogger(state, new IngestSettings { SummaryInterval = TimeSpan.FromMinutes(1) }, metrics, time, logger);
        metrics.RowsWritten.Add(590);
        var pubSub = new PubSubMetrics(metrics.Meter, "projects/p/subscriptions/s", new FlowBudget(10, 1000));
        pubSub.AddDeadLetter(DeadLetterReason.Unparseable, poison: true);
        pubSub.AddDeadLetter(DeadLetterReason.RecordTooLarge, poison: true);
        pubSub.AddDeadLetter(DeadLetterReason.KeyTooLong, poison: false);
        metrics.DeadLetters.Add(1); // the graph's row counter: the published message above already counts it
        using var otherPipeline = new PipelineMetrics();
        otherPipeline.RowsWritten.Add(1_000_000);
        await summary.StartAsync(TestContext.CancellationToken);
        await time.WaitForArmedAsync(1); // ExecuteAsync starts on a thread-pool thread: wait until it has armed its timer.

        time.Fake.Advance(TimeSpan.FromSeconds(59));
        Assert.IsEmpty(logger.Lines, "not before the minute is over");
        time.Fake.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => logger.Lines.Count == 1);
        await summary.StopAsync(TestContext.CancellationToken);

        Assert.AreEqual(
            "Summary: 10.0 events/s, 590 rows written, 590 acked, 3 nacked, 3 dead letters (2 poison), 7 outstanding, freshness p50 120 ms p99 450 ms, 2 streams",
            logger.Lines.Single());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.IsTrue(condition());
    }

    private sealed class ListLogger : ILogger<SummaryLogger>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception));
            }
        }
    }
}
