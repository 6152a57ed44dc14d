using Google.Cloud.PubSub.V1;
using Grpc.Core;
using StreamingFeatures.Emulators;

namespace StreamingFeatures.Cli.Ingest.Local;

/// <summary>
/// Local mode's Pub/Sub and Bigtable emulators, started side by side (or the ones <c>PUBSUB_EMULATOR_HOST</c> and
/// <c>BIGTABLE_EMULATOR_HOST</c> name, left running on dispose), and the topic, subscription and dead-letter topic
/// the service reads, created where missing.
/// </summary>
internal sealed class LocalEmulators : IAsyncDisposable
{
    private LocalEmulators(Emulator pubSub, Emulator bigtable)
    {
        PubSub = pubSub;
        Bigtable = bigtable;
    }

    public Emulator PubSub { get; }

    public Emulator Bigtable { get; }

    /// <exception cref="EmulatorNotInstalledException">An emulator is not installed.</exception>
    /// <exception cref="EmulatorStartException">An emulator did not answer in time.</exception>
    public static async Task<LocalEmulators> StartAsync(CancellationToken cancellationToken)
    {
        Task<Emulator> pubSub = Emulator.StartAsync(EmulatorKind.PubSub, cancellationToken: cancellationToken);
        Task<Emulator> bigtable = Emulator.StartAsync(EmulatorKind.Bigtable, cancellationToken: cancellationToken);
        try
        {
            await Task.WhenAll(pubSub, bigtable).ConfigureAwait(false);
            return new LocalEmulators(pubSub.Result, bigtable.Result);
        }
        catch
        {
            // One may have started while the other failed: stop it, or it outlives the process.
            foreach (Task<Emulator> started in new[] { pubSub, bigtable })
            {
                if (started.IsCompletedSuccessfully)
                {
                    await started.Result.DisposeAsync().ConfigureAwait(false);
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Creates the topic, the subscription on it (with the settings' ack deadline), the dead-letter topic and a
    /// subscription on that, so dead letters can be pulled and read. Existing ones are kept as they are.
    /// </summary>
    public static async Task ProvisionAsync(CallInvoker pubSub, IngestSettings settings, CancellationToken cancellationToken)
    {
        var publisher = new Publisher.PublisherClient(pubSub);
        var subscriber = new Subscriber.SubscriberClient(pubSub);
        await IgnoreExistingAsync(publisher.CreateTopicAsync(new Topic { Name = settings.Topic }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await IgnoreExistingAsync(subscriber.CreateSubscriptionAsync(
            new Subscription { Name = settings.Subscription, Topic = settings.Topic, AckDeadlineSeconds = (int)settings.Source.AckDeadline.TotalSeconds },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (settings.DeadLetterTopic is { } deadLetters)
        {
            await IgnoreExistingAsync(publisher.CreateTopicAsync(new Topic { Name = deadLetters }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await IgnoreExistingAsync(subscriber.CreateSubscriptionAsync(
                new Subscription { Name = DeadLetterSubscription(settings), Topic = deadLetters },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The local subscription on the dead-letter topic, named after it (<c>projects/P/subscriptions/TOPIC-inspect</c>):
    /// one fixed name would stay on the first run's topic when a later run on the same emulator names another.
    /// </summary>
    public static string DeadLetterSubscription(IngestSettings settings)
    {
        string topic = settings.DeadLetterTopic ?? IngestSettings.LocalDeadLetterSubscription;
        string name = topic[(topic.LastIndexOf('/') + 1)..];
        return settings.Subscription[..(settings.Subscription.LastIndexOf('/') + 1)] + name[..Math.Min(name.Length, 247)] + "-inspect";
    }

    public async ValueTask DisposeAsync()
    {
        await PubSub.DisposeAsync().ConfigureAwait(false);
        await Bigtable.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task IgnoreExistingAsync<T>(AsyncUnaryCall<T> call)
    {
        try
        {
            await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            // Kept from an earlier run on an emulator that still runs.
        }
        finally
        {
            call.Dispose();
        }
    }
}
