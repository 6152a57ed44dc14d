using Google.Cloud.PubSub.V1;
using StreamingFeatures.Cli.EmulatorCommands;
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

    /// <summary>
    /// Our own commands, not gcloud's and cbt's: <c>gcloud pubsub subscriptions pull</c> ignores
    /// <c>PUBSUB_EMULATOR_HOST</c>, and <c>cbt read</c> shows int64, float64 and bool cells as raw bytes.
    /// </summary>
    private string DeadLettersCommand(string pubSubHost) =>
        $"streamingfeatures emulator pull --host {pubSubHost} --subscription {LocalEmulators.DeadLetterSubscription(settings)} --limit 10";

    private string RowsCommand(string bigtableHost, string instanceName) =>
        $"streamingfeatures emulator read-rows --host {bigtableHost}"
        + (instanceName == ReadRowsCommand.DefaultInstance ? string.Empty : " --instance " + instanceName)
        + $" --table {featureSet.Table}"
        + (settings.FeatureSetFile is { } file ? " --feature-set " + Path.GetFullPath(file) : string.Empty)
        + " --limit 5";

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
            Console.WriteLine($"Dead letters go to {settings.DeadLetterTopic}; read them with: {DeadLettersCommand(pubSub)}");
        }

        Console.WriteLine($"Rows: {RowsCommand(bigtable, connections.Bigtable.InstanceName)}");
    }
}
