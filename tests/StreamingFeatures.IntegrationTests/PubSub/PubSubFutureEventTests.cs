using Google.Cloud.Bigtable.V2;
using Google.Cloud.PubSub.V1;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Verification;

namespace StreamingFeatures.IntegrationTests.PubSub;

/// <summary>
/// Events stamped far ahead of the clock reach the dead-letter topic as EventTimeInFuture instead of writing cells
/// that would beat every real event of their entity for good.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class PubSubFutureEventTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Ingest_EventsPastMaxFutureSkew_DeadLetteredAsEventTimeInFutureAndRealEventsWin()
    {
        CancellationToken cancellationToken = TestContext.CancellationToken;
        await using IngestWorkspace workspace = await IngestWorkspace.CreateAsync(ackDeadlineSeconds: 10, cancellationToken);
        long now = CellEncoding.ToUnixMicros(TimeProvider.System.GetUtcNow());
        const long Minute = 60_000_000;
        var future = new Dictionary<string, long>
        {
            [IngestWorkspace.Event(1, 253_402_300_799_999_000, 1_000)] = 253_402_300_799_999_000, // 9999-12-31T23:59:59.999Z
            [IngestWorkspace.Event(2, long.MaxValue, 2_000)] = long.MaxValue,
            [IngestWorkspace.Event(3, now + (120 * Minute), 3_000)] = now + (120 * Minute),
        };
        List<string> payloads =
        [
            IngestWorkspace.Event(1, now - Minute, 1),
            IngestWorkspace.Event(2, now - Minute, 2),
            IngestWorkspace.Event(3, now - Minute, 3),
            IngestWorkspace.Event(4, now + (30 * Minute), 4), // Within the default hour: a clock a little ahead is fine.
            .. future.Keys,
        ];
        await workspace.PublishAsync(payloads, cancellationToken);
        await using PubSubSource source = workspace.CreateSource();

        PipelineResult result = await workspace.IngestAsync(source, s => s.Status.Acked >= payloads.Count, TimeSpan.FromMinutes(2), VerificationMode.Full, cancellationToken);

        Assert.AreEqual(payloads.Count, source.Status.Acked, "written and dead-lettered messages are all acked: " + source.Status);
        Assert.AreEqual(future.Count, result.Report.DeadLettered, result.Report.ToString());
        List<ReceivedMessage> dead = await workspace.PullAsync(workspace.DeadLetterSubscription, 100, cancellationToken);
        Assert.HasCount(future.Count, dead);
        foreach (ReceivedMessage message in dead)
        {
            string data = message.Message.Data.ToStringUtf8();
            Assert.IsTrue(future.ContainsKey(data), data);
            Assert.AreEqual("EventTimeInFuture", message.Message.Attributes["reason"], data);
            StringAssert.Contains(message.Message.Attributes["detail"], "more than maxFutureSkew 1h ahead of the clock", data);
        }

        Dictionary<string, Row> rows = await workspace.ReadTableAsync(cancellationToken);
        Assert.HasCount(4, rows);
        RowKeyFormat keys = workspace.Keys;
        for (int user = 1; user <= 4; user++)
        {
            Cell clicks = IngestWorkspace.Newest(rows[RowKeyFormat.Display(keys.ForEntity([$"u-{user}"]))], "clicks");
            Assert.AreEqual(user, CellEncoding.ReadInt64(clicks.Value.Span), $"u-{user}: the real event is the newest cell");
        }
    }
}
