using Google.Cloud.Bigtable.Admin.V2;
using Google.Cloud.PubSub.V1;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Emulators;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Perf.Pipeline;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Perf.Ingest;

/// <summary>
/// The streaming service against the local emulators, in one run: how fast it drains a backlog next to a bare
/// StreamingPull consumer that acks at once (ABBA order, warm), then the highest published rate it keeps up with and
/// the publish → acked latency at that rate and at half of it.
/// </summary>
internal static partial class IngestCommand
{
    private const string Project = "projects/perf";
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(IngestArguments args)
    {
        await using Emulator pubSub = await Emulator.StartAsync(EmulatorKind.PubSub).ConfigureAwait(false);
        await using Emulator bigtable = await Emulator.StartAsync(EmulatorKind.Bigtable).ConfigureAwait(false);
        using GrpcChannel pubSubChannel = pubSub.CreateChannel();
        using GrpcChannel bigtableChannel = bigtable.CreateChannel();
        var context = new RunContext(pubSubChannel.CreateCallInvoker(), bigtableChannel.CreateCallInvoker(), bigtable.ProcessId, args);
        Log($"Pub/Sub emulator {pubSub.Endpoint}, Bigtable emulator {bigtable.Endpoint}; {args.Events:N0} events per drain, {args.Features} features");

        FeatureSetOptions featureSet = EventPublisher.FeatureSet($"ingest-{Guid.NewGuid():N}"[..30], args.Features);
        await TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(bigtableChannel), PerfTable.Instance, featureSet).ConfigureAwait(false);
        string tableName = $"{PerfTable.Instance}/tables/{featureSet.Table}";

        (DrainFigures bare, DrainFigures service) = await MeasureDrainsAsync(context, featureSet, tableName).ConfigureAwait(false);
        double ratio = service.EventsPerSecond / bare.EventsPerSecond;
        Log($"drain: bare {bare.EventsPerSecond:N0}/s, service {service.EventsPerSecond:N0}/s = {ratio:P1} of bare");

        (LivePhase? sustained, LivePhase? half, List<LivePhase> search) = await MeasureLiveAsync(context, featureSet, tableName, service.EventsPerSecond).ConfigureAwait(false);
        var report = new IngestReport(args.Events, args.Features, bare, service, Math.Round(ratio, 3), sustained, half, search);
        await ReportJson.WriteAsync(report, args.Output).ConfigureAwait(false);

        return 0;
    }

    /// <summary>
    /// An untimed warm-up drain each, then bare, service, service, bare over backlogs of the same size. Each round has
    /// a topic and subscriptions of its own: the emulator goes on dispatching to a StreamingPull stream the client
    /// has cancelled until the messages' ack deadline passes, so a second drain of one subscription would stall.
    /// </summary>
    private static async Task<(DrainFigures Bare, DrainFigures Service)> MeasureDrainsAsync(RunContext context, FeatureSetOptions featureSet, string tableName)
    {
        var publisher = new EventPublisher(context.PubSub, context.Args.Features);
        int warm = Math.Max(1_000, context.Args.Events / 10);
        (string bareWarm, string serviceWarm) = await BacklogAsync(context, publisher, "warm", warm).ConfigureAwait(false);
        await DrainBareAsync(context, bareWarm, warm).ConfigureAwait(false);
        await DrainServiceAsync(context, serviceWarm, featureSet, tableName, warm).ConfigureAwait(false);
        Log("warm-up drains done");

        int events = context.Args.Events;
        (string bareFirst, string serviceFirst) = await BacklogAsync(context, publisher, "first", events).ConfigureAwait(false);
        PhaseMeasurement bare1 = await DrainBareAsync(context, bareFirst, events).ConfigureAwait(false);
        PhaseMeasurement service1 = await DrainServiceAsync(context, serviceFirst, featureSet, tableName, events).ConfigureAwait(false);
        (string bareSecond, string serviceSecond) = await BacklogAsync(context, publisher, "second", events).ConfigureAwait(false);
        PhaseMeasurement service2 = await DrainServiceAsync(context, serviceSecond, featureSet, tableName, events).ConfigureAwait(false);
        PhaseMeasurement bare2 = await DrainBareAsync(context, bareSecond, events).ConfigureAwait(false);
        return (DrainFigures.From(bare1.Plus(bare2)), DrainFigures.From(service1.Plus(service2)));
    }

    /// <summary>A topic with a bare and a service subscription, and the same backlog of events in both.</summary>
    private static async Task<(string Bare, string Service)> BacklogAsync(RunContext context, EventPublisher publisher, string round, int events)
    {
        string topic = await context.CreateTopicAsync(round).ConfigureAwait(false);
        string bare = await context.CreateSubscriptionAsync(topic, $"{round}-bare").ConfigureAwait(false);
        string service = await context.CreateSubscriptionAsync(topic, $"{round}-service").ConfigureAwait(false);
        long started = Environment.TickCount64;
        await publisher.PublishBacklogAsync(topic, events).ConfigureAwait(false);
        Log($"published {events:N0} events in {(Environment.TickCount64 - started) / 1000.0:0.0} s");
        return (bare, service);
    }

    private static async Task<PhaseMeasurement> DrainBareAsync(RunContext context, string subscription, int events)
    {
        await using PhaseMeter meter = PhaseMeter.Start(sampleWorkingSet: true, context.BigtableProcessId);
        long received = await BareConsumer.DrainAsync(context.PubSub, subscription, events, new PubSubSourceOptions().StreamCount, (int)new PubSubSourceOptions().MaxOutstandingMessages).ConfigureAwait(false);
        PhaseMeasurement measured = meter.Stop(received);
        Log($"bare drain: {received:N0} in {measured.Elapsed.TotalSeconds:0.00} s = {measured.RowsPerSecond:N0}/s, client {measured.Cpu.TotalSeconds:0.0} CPU-s");
        return measured;
    }

    private static async Task<PhaseMeasurement> DrainServiceAsync(RunContext context, string subscription, FeatureSetOptions featureSet, string tableName, int events)
    {
        PhaseMeasurement measured;
        long received;
        await using (PhaseMeter meter = PhaseMeter.Start(sampleWorkingSet: true, context.BigtableProcessId))
        {
            await using ServiceRun service = ServiceRun.Start(context.PubSub, context.Bigtable, subscription, featureSet, tableName);
            if (!await service.WaitForAckedAsync(events, TimeSpan.FromMinutes(10)).ConfigureAwait(false))
            {
                throw new TimeoutException($"The service acked {service.Acked:N0} of {events:N0} events.");
            }

            measured = meter.Stop(events);
            received = service.Received;
        }

        Log($"service drain: {events:N0} in {measured.Elapsed.TotalSeconds:0.00} s = {measured.RowsPerSecond:N0}/s ({received - events:N0} received again), client {measured.Cpu.TotalSeconds:0.0} CPU-s, peak {measured.PeakWorkingSetBytes / (1024 * 1024)} MiB");
        return measured;
    }

    private static void Log(string line) => Console.Error.WriteLine($"[perf {DateTime.UtcNow:HH:mm:ss}] {line}");

    private sealed record RunContext(CallInvoker PubSub, CallInvoker Bigtable, int? BigtableProcessId, IngestArguments Args)
    {
        private readonly string _run = Guid.NewGuid().ToString("N")[..8];

        public async Task<string> CreateTopicAsync(string name)
        {
            string topic = $"{Project}/topics/{name}-{_run}";
            await new Publisher.PublisherClient(PubSub).CreateTopicAsync(new Topic { Name = topic }).ConfigureAwait(false);
            return topic;
        }

        public async Task<string> CreateSubscriptionAsync(string topic, string name)
        {
            string subscription = $"{Project}/subscriptions/{name}-{_run}";
            await new Subscriber.SubscriberClient(PubSub).CreateSubscriptionAsync(new Subscription { Name = subscription, Topic = topic, AckDeadlineSeconds = 60 }).ConfigureAwait(false);
            return subscription;
        }
    }
}
