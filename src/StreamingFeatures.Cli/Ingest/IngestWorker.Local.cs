using Google.Cloud.PubSub.V1;
using StreamingFeatures.Cli.Ingest.Local;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>Local mode: what runs where, and the synthetic events.</summary>
internal sealed partial class IngestWorker
{
    private Task PublishAsync(IngestConnections connections, CancellationToken cancellationToken)
    {
        if (!settings.Local || settings.PublishRate <= 0)
        {
            return Task.CompletedTask;
        }

        var client = new Publisher.PublisherClient(connections.PubSub.CallInvoker);
        var publisher = new LocalPublisher(
            (request, token) => client.PublishAsync(request, cancellationToken: token).ResponseAsync,
            settings.Topic,
            new SyntheticEvents(featureSet, settings.PublishKeys, time),
            settings.PublishRate,
            time,
            logger);
        return Task.Run(() => publisher.RunAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>Plain lines for the person watching: the emulators, the names, how to look at the results.</summary>
    private void PrintLocal(IngestConnections connections, string tableName)
    {
        string pubSub = connections.PubSub.Address.Authority;
        string bigtable = connections.Bigtable.DataAddress.Authority;
        Console.WriteLine($"Local mode: Pub/Sub emulator {pubSub}, Bigtable emulator {bigtable}.");
        Console.WriteLine($"Pulling {settings.Subscription} (topic {settings.Topic}) into {tableName}"
            + (settings.PublishRate > 0 ? $"; publishing {settings.PublishRate:0.##} synthetic events/s over {settings.PublishKeys:N0} keys." : "."));
        if (settings.DeadLetterTopic is not null)
        {
            string inspect = LocalEmulators.DeadLetterSubscription(settings);
            Console.WriteLine($"Dead letters go to {settings.DeadLetterTopic}; read them with: PUBSUB_EMULATOR_HOST={pubSub} gcloud pubsub subscriptions pull {inspect[(inspect.LastIndexOf('/') + 1)..]} --project {inspect.Split('/')[1]} --auto-ack --limit 10");
        }

        string[] instance = connections.Bigtable.InstanceName.Split('/');
        Console.WriteLine($"Rows: BIGTABLE_EMULATOR_HOST={bigtable} cbt -project {instance[1]} -instance {instance[3]} read {featureSet.Table} count=5");
    }
}
