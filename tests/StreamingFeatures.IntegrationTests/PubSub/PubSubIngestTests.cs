using Google.Cloud.Bigtable.V2;
using Google.Cloud.PubSub.V1;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Verification;

namespace StreamingFeatures.IntegrationTests.PubSub;

/// <summary>
/// The Pub/Sub source in an ingestion pipeline against the real Pub/Sub and Bigtable emulators: everything lands,
/// the newest event wins, poison goes to the dead-letter topic, and a stop loses nothing.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class PubSubIngestTests
{
    private static readonly long BaseMicros = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Ingest_100kEvents_AllLandInBigtableAndTheSubscriptionIsDrained()
    {
        const int Events = 100_000;
        CancellationToken cancellationToken = TestContext.CancellationToken;
        await using IngestWorkspace workspace = await IngestWorkspace.CreateAsync(ackDeadlineSeconds: 10, cancellationToken);
        await workspace.PublishAsync([.. Enumerable.Range(0, Events).Select(i => IngestWorkspace.Event(i, BaseMicros + (i * 1_000L), i))], cancellationToken);
        await using PubSubSource source = workspace.CreateSource();

        // No read-back: the verification sink then reports rows done batch by batch, so acks flow while pulling.
        PipelineResult result = await workspace.IngestAsync(source, s => s.Status.Acked >= Events, TimeSpan.FromMinutes(4), VerificationMode.None, cancellationToken);

        Assert.AreEqual(Events, source.Status.Acked, $"every event acked; {source.Status}");
        Assert.AreEqual(0, source.Status.Nacked);
        Assert.AreEqual(0, result.Report.DeadLettered);
        Assert.IsTrue(result.Report.IsClean, result.Report.ToString());
        Dictionary<string, Row> rows = await workspace.ReadTableAsync(cancellationToken);
        Assert.HasCount(Events, rows);
        RowKeyFormat keys = workspace.Keys;
        for (int i = 0; i < Events; i++)
        {
            string key = RowKeyFormat.Display(keys.ForEntity([$"u-{i}"]));
            Assert.IsTrue(rows.TryGetValue(key, out Row? row), key);
            Cell clicks = IngestWorkspace.Newest(row, "clicks");
            Assert.AreEqual(BaseMicros + (i * 1_000L), clicks.TimestampMicros, key);
            Assert.AreEqual(i, CellEncoding.ReadInt64(clicks.Value.Span), key);
            Assert.AreEqual(i / 2.0, CellEncoding.ReadFloat64(IngestWorkspace.Newest(row, "score").Value.Span), key);
            Assert.AreEqual($"n-{i}", IngestWorkspace.Newest(row, "name").Value.ToStringUtf8(), key);
        }

        LatencySummary freshness = source.TakeFreshnessSummary();
        Assert.AreEqual(Events, freshness.Count);
        await Task.Delay(TimeSpan.FromSeconds(11), cancellationToken);
        Assert.IsEmpty(await workspace.PullAsync(workspace.Subscription, 100, cancellationToken), "nothing may come back after the ack deadline");
    }

    [TestMethod]
    public async Task Ingest_DuplicatesAndOutOfOrderEvents_NewestPerEntityAndFeatureWins()
    {
        const int Users = 300;
        CancellationToken cancellationToken = TestContext.CancellationToken;
        await using IngestWorkspace workspace = await IngestWorkspace.CreateAsync(ackDeadlineSeconds: 10, cancellationToken);
        var random = new Random(17);
        var events = new List<string>();
        for (int user = 0; user < Users; user++)
        {
            for (int version = 0; version < 4; version++)
            {
                string payload = IngestWorkspace.Event(user, BaseMicros + (version * 60_000_000L), (user * 10) + version);
                events.Add(payload);
                if (random.Next(3) == 0)
                {
                    events.Add(payload); // A publisher retry: the same event twice.
                }
            }
        }

        List<string> shuffled = [.. events.OrderBy(_ => random.Next())];
        await workspace.PublishAsync(shuffled, cancellationToken);
        await using PubSubSource source = workspace.CreateSource();

        // Full read-back reports rows done a job (1,000 keys) at a time: the last ones when the stop drains the graph.
        await workspace.IngestAsync(source, s => s.Status.Received >= shuffled.Count, TimeSpan.FromMinutes(2), VerificationMode.Full, cancellationToken);

        Assert.AreEqual(shuffled.Count, source.Status.Acked, source.Status.ToString());
        Dictionary<string, Row> rows = await workspace.ReadTableAsync(cancellationToken);
        Assert.HasCount(Users, rows);
        for (int user = 0; user < Users; user++)
        {
            Row row = rows[RowKeyFormat.Display(workspace.Keys.ForEntity([$"u-{user}"]))];
            foreach (string feature in new[] { "clicks", "score", "name" })
            {
                Assert.AreEqual(BaseMicros + (3 * 60_000_000L), IngestWorkspace.Newest(row, feature).TimestampMicros, $"u-{user} {feature}");
            }

            Assert.AreEqual((user * 10) + 3, CellEncoding.ReadInt64(IngestWorkspace.Newest(row, "clicks").Value.Span), $"u-{user}");
            Assert.AreEqual($"n-{(user * 10) + 3}", IngestWorkspace.Newest(row, "name").Value.ToStringUtf8(), $"u-{user}");
        }
    }

    [TestMethod]
    public async Task Ingest_PoisonMixedIn_DeadLetteredWithReasonsAndEveryValidEventLands()
    {
        const int Valid = 2_000;
        CancellationToken cancellationToken = TestContext.CancellationToken;
        await using IngestWorkspace workspace = await IngestWorkspace.CreateAsync(ackDeadlineSeconds: 10, cancellationToken);
        var poison = new Dictionary<string, string>
        {
            ["not json"] = "Unparseable",
            ["[1,2,3]"] = "Unparseable",
            ["""{"ts":1000,"clicks":1}"""] = "EmptyKey",
            ["""{"user":"p-1","clicks":"many"}"""] = "BadValue",
            ["""{"user":"p-2","score":{"x":1}}"""] = "BadValue",
            [$$"""{"user":"{{new string('k', 5_000)}}","clicks":1}"""] = "KeyTooLong",
            ["""{"user":"p-3","ts":-5000000}"""] = "BadEventTime",
        };
        var payloads = Enumerable.Range(0, Valid).Select(i => IngestWorkspace.Event(i, BaseMicros + i, i)).ToList();
        int at = 0;
        foreach (string bad in poison.Keys)
        {
            payloads.Insert(at += 250, bad);
        }

        await workspace.PublishAsync(payloads, cancellationToken);
        await using PubSubSource source = workspace.CreateSource();

        PipelineResult result = await workspace.IngestAsync(source, s => s.Status.Received >= payloads.Count, TimeSpan.FromMinutes(2), VerificationMode.Full, cancellationToken);

        Assert.AreEqual(payloads.Count, source.Status.Acked, "valid and dead-lettered messages are all acked: " + source.Status);
        Assert.AreEqual(2, result.Report.DeadLettered, "key too long and a negative event time are refused inside the graph");
        Assert.HasCount(Valid, await workspace.ReadTableAsync(cancellationToken));
        List<ReceivedMessage> dead = await workspace.PullAsync(workspace.DeadLetterSubscription, 100, cancellationToken);
        Assert.HasCount(poison.Count, dead);
        foreach (ReceivedMessage message in dead)
        {
            string data = message.Message.Data.ToStringUtf8();
            Assert.AreEqual(poison[data], message.Message.Attributes["reason"], data.Length > 80 ? data[..80] : data);
            Assert.AreEqual(workspace.Subscription, message.Message.Attributes["subscription"]);
            Assert.IsFalse(string.IsNullOrEmpty(message.Message.Attributes["original_message_id"]));
            Assert.IsFalse(string.IsNullOrEmpty(message.Message.Attributes["detail"]));
        }
    }

    [TestMethod]
    public async Task StopMidStreamThenClose_EveryMessageWrittenAndAckedOrNackedAndRedelivered()
    {
        const int Events = 20_000;
        CancellationToken cancellationToken = TestContext.CancellationToken;
        await using IngestWorkspace workspace = await IngestWorkspace.CreateAsync(ackDeadlineSeconds: 10, cancellationToken);
        await workspace.PublishAsync([.. Enumerable.Range(0, Events).Select(i => IngestWorkspace.Event(i, BaseMicros + (i * 1_000L), i))], cancellationToken);
        PubSubSourceOptions options = workspace.Options() with { MaxOutstandingMessages = 2_000 };

        long firstAcked;
        long firstNacked;
        long firstReceived;
        await using (PubSubSource first = workspace.CreateSource(options))
        {
            await workspace.IngestAsync(first, s => s.Status.Acked >= 3_000, TimeSpan.FromMinutes(2), VerificationMode.None, cancellationToken);
            firstAcked = first.Status.Acked;
            firstNacked = first.Status.Nacked;
            firstReceived = first.Status.Received;
            Assert.AreEqual(0, first.Status.OutstandingMessages, "closing leaves nothing leased");
        }

        Assert.IsLessThan(Events, firstAcked, "the stop came mid-stream");
        Assert.IsGreaterThanOrEqualTo(firstReceived, firstAcked + firstNacked, "every message received was acked (written) or nacked");

        // Nacked messages come back at once; any still in flight when the first streams were cut (never seen by the
        // source) come back once their 10 s ack deadline passes, so the second run starts after it.
        await Task.Delay(TimeSpan.FromSeconds(11), cancellationToken);
        await using PubSubSource second = workspace.CreateSource(options);
        await workspace.IngestAsync(second, s => s.Status.Acked + firstAcked >= Events, TimeSpan.FromMinutes(3), VerificationMode.None, cancellationToken);

        Assert.IsGreaterThanOrEqualTo(Events, second.Status.Acked + firstAcked, $"first run acked {firstAcked}, nacked {firstNacked}; second {second.Status}");
        Assert.IsEmpty(await workspace.PullAsync(workspace.Subscription, 100, cancellationToken), "the subscription is drained");
        Dictionary<string, Row> rows = await workspace.ReadTableAsync(cancellationToken);
        Assert.HasCount(Events, rows);
        for (int i = 0; i < Events; i += 97)
        {
            Row row = rows[RowKeyFormat.Display(workspace.Keys.ForEntity([$"u-{i}"]))];
            Assert.AreEqual(i, CellEncoding.ReadInt64(IngestWorkspace.Newest(row, "clicks").Value.Span));
        }
    }
}
