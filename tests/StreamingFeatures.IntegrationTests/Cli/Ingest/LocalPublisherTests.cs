using System.Text.Json;
using Google.Cloud.PubSub.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamingFeatures.Cli.Ingest.Local;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.TestShared;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>The local publisher on virtual time: its rate, its batches, the events it sends. No I/O.</summary>
[TestClass]
public sealed class LocalPublisherTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunAsync_TwoHundredPerSecondForTenSeconds_PublishesTwoThousandInSmallBatches()
    {
        var time = new ArmedClock(s_start);
        var requests = new List<PublishRequest>();
        var publisher = new LocalPublisher(Capture(requests), "projects/local/topics/t", Events(time), 200, time, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task running = publisher.RunAsync(stop.Token);

        await AdvanceAsync(time, TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await running;

        Assert.IsInRange(1_980, 2_000, publisher.Published, "200 events/s over 10 s of virtual time");
        Assert.AreEqual(publisher.Published, requests.Sum(r => r.Messages.Count));
        Assert.IsGreaterThanOrEqualTo(50, requests.Count, "a request per 100 ms tick, not one burst");
        Assert.IsTrue(requests.All(r => r.Messages.Count <= 60 && r.Topic == "projects/local/topics/t"), "each tick publishes the events due, about 20");
        Assert.AreEqual(0, publisher.Skipped);
    }

    [TestMethod]
    public async Task RunAsync_HighRate_SplitsRequestsAtTheBatchLimit()
    {
        var time = new ArmedClock(s_start);
        var requests = new List<PublishRequest>();
        var publisher = new LocalPublisher(Capture(requests), "projects/local/topics/t", Events(time), 50_000, time, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task running = publisher.RunAsync(stop.Token);

        await AdvanceAsync(time, TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await running;

        Assert.IsInRange(49_000, 50_000, publisher.Published);
        Assert.AreEqual(LocalPublisher.MaxBatch, requests.Max(r => r.Messages.Count));
    }

    [TestMethod]
    public async Task RunAsync_PublishFails_GoesOnAndCountsOnlyAccepted()
    {
        var time = new ArmedClock(s_start);
        int calls = 0;
        var publisher = new LocalPublisher(
            (_, _) => ++calls % 2 == 0 ? Task.CompletedTask : throw new RpcException(new Status(StatusCode.Unavailable, "emulator gone")),
            "projects/local/topics/t",
            Events(time),
            100,
            time,
            NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        Task running = publisher.RunAsync(stop.Token);

        await AdvanceAsync(time, TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await running;

        Assert.IsGreaterThan(10, calls);
        Assert.IsInRange(90, 110, publisher.Published, "every other request of 10 events was accepted");
    }

    [TestMethod]
    public void Next_SampleFeatureSet_JsonWithKeyInKeySpaceEventTimeNowAndEveryFeature()
    {
        var time = new FakeTimeProvider(s_start);
        FeatureSetOptions featureSet = StreamingFeatures.Cli.Migrate.SourceSpec.Sample(1, features: 3).FeatureSet("features");
        var events = new SyntheticEvents(featureSet, keySpace: 5, time);

        var entities = new HashSet<string>();
        for (int i = 0; i < 200; i++)
        {
            using JsonDocument json = JsonDocument.Parse(events.Next().Data.ToByteArray());
            JsonElement root = json.RootElement;
            entities.Add(root.GetProperty("entity_id").GetString()!);
            Assert.AreEqual("2026-11-26T12:00:00.000Z", root.GetProperty("event_time").GetString());
            for (int f = 0; f < 3; f++)
            {
                Assert.AreEqual(JsonValueKind.Number, root.GetProperty($"f{f}").ValueKind);
            }
        }

        CollectionAssert.AreEquivalent(new[] { "user-0000000000", "user-0000000001", "user-0000000002", "user-0000000003", "user-0000000004" }, entities.ToArray());
    }

    [TestMethod]
    public void Next_EveryFeatureType_ValueOfThatType()
    {
        var featureSet = new FeatureSetOptions
        {
            Table = "t",
            EntityKey = ["user", "region"],
            EventTime = "ts",
            Families = { ["f"] = new ColumnFamilyOptions() },
            Features =
            [
                new FeatureOptions { Name = "n", Family = "f", Type = FeatureType.Int64 },
                new FeatureOptions { Name = "x", Family = "f", Type = FeatureType.Float64 },
                new FeatureOptions { Name = "b", Family = "f", Type = FeatureType.Bool },
                new FeatureOptions { Name = "s", Family = "f", Type = FeatureType.String },
                new FeatureOptions { Name = "raw", Family = "f", Type = FeatureType.Bytes },
                new FeatureOptions { Name = "seen", Family = "f", Type = FeatureType.Timestamp },
                new FeatureOptions { Name = "region_copy", Column = "region", Family = "f", Type = FeatureType.String },
            ],
        };

        using JsonDocument json = JsonDocument.Parse(new SyntheticEvents(featureSet, 10, new FakeTimeProvider(s_start)).Next().Data.ToByteArray());
        JsonElement root = json.RootElement;

        Assert.AreEqual(JsonValueKind.String, root.GetProperty("region").ValueKind);
        Assert.IsTrue(root.GetProperty("n").TryGetInt64(out _));
        Assert.AreEqual(JsonValueKind.Number, root.GetProperty("x").ValueKind);
        Assert.IsTrue(root.GetProperty("b").ValueKind is JsonValueKind.True or JsonValueKind.False);
        Assert.AreEqual(JsonValueKind.String, root.GetProperty("s").ValueKind);
        Assert.IsTrue(root.GetProperty("raw").TryGetBytesFromBase64(out byte[]? raw) && raw.Length == 8);
        Assert.AreEqual("2026-11-26T12:00:00.000Z", root.GetProperty("seen").GetString());
        Assert.AreEqual(9, root.EnumerateObject().Count(), "the region column is written once though a feature reads it too");
    }

    private static SyntheticEvents Events(TimeProvider time) =>
        new(StreamingFeatures.Cli.Migrate.SourceSpec.Sample(1).FeatureSet("features"), 10_000, time);

    private static Func<PublishRequest, CancellationToken, Task> Capture(List<PublishRequest> requests) => (request, _) =>
    {
        requests.Add(request);
        return Task.CompletedTask;
    };

    /// <summary>
    /// Advances virtual time in publisher ticks, each handled by the loop before the next: it arms its next wait only
    /// after publishing what was due.
    /// </summary>
    private static async Task AdvanceAsync(ArmedClock time, TimeSpan span)
    {
        await time.WaitForArmedAsync(1);
        for (TimeSpan done = TimeSpan.Zero; done < span; done += LocalPublisher.Tick)
        {
            await time.TickAsync(LocalPublisher.Tick);
        }
    }
}
