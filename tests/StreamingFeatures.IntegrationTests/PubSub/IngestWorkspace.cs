using System.Globalization;
using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.Bigtable.V2;
using Google.Cloud.PubSub.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.PubSub;
using StreamingFeatures.Verification;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.IntegrationTests.PubSub;

/// <summary>
/// A topic and subscription on the Pub/Sub emulator (and a dead-letter topic with its own subscription) feeding a
/// fresh table on the Bigtable emulator: the ingestion service's setting, uniquely named, deleted afterwards.
/// </summary>
internal sealed class IngestWorkspace : IAsyncDisposable
{
    public const string Family = "f";
    private static readonly string Instance = $"projects/{EmulatorFixture.Project}/instances/{EmulatorFixture.Instance}";

    private readonly GrpcChannel _pubSub = EmulatorFixture.PubSub.CreateChannel();
    private readonly GrpcChannel _bigtable = EmulatorFixture.Bigtable.CreateChannel();
    private readonly Publisher.PublisherClient _publisher;
    private readonly Subscriber.SubscriberClient _subscriber;

    private IngestWorkspace()
    {
        _publisher = new Publisher.PublisherClient(_pubSub);
        _subscriber = new Subscriber.SubscriberClient(_pubSub);
        string name = EmulatorFixture.UniqueName("ing");
        Topic = $"projects/{EmulatorFixture.Project}/topics/{name}";
        Subscription = $"projects/{EmulatorFixture.Project}/subscriptions/{name}";
        DeadLetterTopic = Topic + "-dl";
        DeadLetterSubscription = Subscription + "-dl";
        FeatureSet = new FeatureSetOptions
        {
            Table = name,
            EntityKey = ["user"],
            EventTime = "ts",
            Families = { [Family] = new ColumnFamilyOptions { MaxVersions = 5 } },
            Features =
            [
                new FeatureOptions { Name = "clicks", Family = Family, Type = FeatureType.Int64, Nullable = true },
                new FeatureOptions { Name = "score", Family = Family, Type = FeatureType.Float64, Nullable = true },
                new FeatureOptions { Name = "name", Family = Family, Type = FeatureType.String, Nullable = true },
            ],
        };
    }

    public string Topic { get; }

    public string Subscription { get; }

    public string DeadLetterTopic { get; }

    public string DeadLetterSubscription { get; }

    public FeatureSetOptions FeatureSet { get; }

    public string TableName => $"{Instance}/tables/{FeatureSet.Table}";

    public RowKeyFormat Keys => new(FeatureSet.RowKey);

    public CallInvoker PubSubInvoker => _pubSub.CreateCallInvoker();

    public static async Task<IngestWorkspace> CreateAsync(int ackDeadlineSeconds, CancellationToken cancellationToken)
    {
        var workspace = new IngestWorkspace();
        await workspace._publisher.CreateTopicAsync(new Topic { Name = workspace.Topic }, cancellationToken: cancellationToken);
        await workspace._publisher.CreateTopicAsync(new Topic { Name = workspace.DeadLetterTopic }, cancellationToken: cancellationToken);
        await workspace._subscriber.CreateSubscriptionAsync(new Subscription { Name = workspace.Subscription, Topic = workspace.Topic, AckDeadlineSeconds = ackDeadlineSeconds }, cancellationToken: cancellationToken);
        await workspace._subscriber.CreateSubscriptionAsync(new Subscription { Name = workspace.DeadLetterSubscription, Topic = workspace.DeadLetterTopic, AckDeadlineSeconds = 60 }, cancellationToken: cancellationToken);
        await TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(workspace._bigtable), Instance, workspace.FeatureSet, cancellationToken);
        return workspace;
    }

    public static string Event(int user, long eventMicros, long clicks) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"user":"u-{{user}}","ts":{{eventMicros}},"clicks":{{clicks}},"score":{{clicks / 2.0}},"name":"n-{{clicks}}"}""");

    /// <summary>Publishes the payloads in requests of 1,000, a few requests at once.</summary>
    public async Task PublishAsync(IReadOnlyList<string> payloads, CancellationToken cancellationToken)
    {
        var requests = new List<PublishRequest>();
        for (int start = 0; start < payloads.Count; start += 1_000)
        {
            var request = new PublishRequest { Topic = Topic };
            request.Messages.Add(payloads.Skip(start).Take(1_000).Select(p => new PubsubMessage { Data = ByteString.CopyFromUtf8(p) }));
            requests.Add(request);
        }

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (request, ct) =>
            await _publisher.PublishAsync(request, cancellationToken: ct));
    }

    public PubSubSource CreateSource(PubSubSourceOptions? options = null) => PubSubSource.Create(
        PubSubInvoker,
        options ?? Options(),
        FeatureSet);

    public PubSubSourceOptions Options() => new()
    {
        Subscription = Subscription,
        StreamCount = 2,
        MaxOutstandingMessages = 5_000,
        AckDeadline = TimeSpan.FromSeconds(10),
        LeaseRenewalMargin = TimeSpan.FromSeconds(3),
        MaxTotalLeaseExtension = TimeSpan.FromMinutes(5),
        DeadLetterTopic = DeadLetterTopic,
    };

    /// <summary>
    /// Runs the source in a pipeline until <paramref name="until"/> holds (or the timeout passes), then stops the
    /// pipeline (it drains) and closes the source (last acks, nacks of the rest).
    /// </summary>
    public async Task<PipelineResult> IngestAsync(PubSubSource source, Func<PubSubSource, bool> until, TimeSpan timeout, VerificationMode verification, CancellationToken cancellationToken)
    {
        var pipeline = new IngestionPipeline(
            FeatureSet,
            source,
            new BigtableTarget(_bigtable.CreateCallInvoker(), TableName),
            source.DeadLetters,
            new PipelineOptions { MapParallelism = 2, Verification = new VerificationOptions { Mode = verification } },
            completion: source);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<PipelineResult> run = pipeline.RunAsync(stop.Token);
        long started = Environment.TickCount64;
        while (!until(source) && !run.IsCompleted && Environment.TickCount64 - started < timeout.TotalMilliseconds)
        {
            await Task.Delay(50, cancellationToken);
        }

        await stop.CancelAsync();
        PipelineResult result = await run;
        await source.CloseAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return result;
    }

    /// <summary>Every row of the table, newest cell per column only.</summary>
    public async Task<Dictionary<string, Row>> ReadTableAsync(CancellationToken cancellationToken)
    {
        var merger = new ReadRowsMerger();
        var rows = new Dictionary<string, Row>();
        using AsyncServerStreamingCall<ReadRowsResponse> call = new BigtableClient(_bigtable).ReadRows(
            new ReadRowsRequest { TableName = TableName, Filter = new RowFilter { CellsPerColumnLimitFilter = 1 } },
            cancellationToken: cancellationToken);
        await foreach (ReadRowsResponse response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            foreach (Row row in merger.Add(response))
            {
                rows[row.Key.ToStringUtf8()] = row;
            }
        }

        merger.Complete();
        return rows;
    }

    /// <summary>The newest cell of a feature in a row.</summary>
    public static Cell Newest(Row row, string qualifier) =>
        row.Families.Single(f => f.Name == Family).Columns.Single(c => c.Qualifier.ToStringUtf8() == qualifier).Cells[0];

    /// <summary>Messages a subscription still delivers now (a Pull that waits out its deadline found none).</summary>
    public async Task<List<ReceivedMessage>> PullAsync(string subscription, int max, CancellationToken cancellationToken)
    {
        var messages = new List<ReceivedMessage>();
        while (messages.Count < max)
        {
            try
            {
                PullResponse response = await _subscriber.PullAsync(
                    new PullRequest { Subscription = subscription, MaxMessages = Math.Min(1_000, max - messages.Count) },
                    deadline: DateTime.UtcNow.AddSeconds(3),
                    cancellationToken: cancellationToken);
                if (response.ReceivedMessages.Count == 0)
                {
                    break;
                }

                messages.AddRange(response.ReceivedMessages);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
            {
                break;
            }
        }

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (string subscription in new[] { Subscription, DeadLetterSubscription })
        {
            await IgnoreAsync(() => _subscriber.DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = subscription }).ResponseAsync);
        }

        foreach (string topic in new[] { Topic, DeadLetterTopic })
        {
            await IgnoreAsync(() => _publisher.DeleteTopicAsync(new DeleteTopicRequest { Topic = topic }).ResponseAsync);
        }

        await IgnoreAsync(() => new BigtableTableAdmin.BigtableTableAdminClient(_bigtable).DeleteTableAsync(new DeleteTableRequest { Name = TableName }).ResponseAsync);
        _pubSub.Dispose();
        _bigtable.Dispose();
    }

    private static async Task IgnoreAsync(Func<Task> cleanup)
    {
        try
        {
            await cleanup();
        }
        catch (RpcException)
        {
            // Best effort: the emulators go away with the run anyway.
        }
    }
}
