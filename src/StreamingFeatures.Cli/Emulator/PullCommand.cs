using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Google.Cloud.PubSub.V1;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Cli.Options;

namespace StreamingFeatures.Cli.EmulatorCommands;

/// <summary>
/// <c>streamingfeatures emulator pull</c>: pulls and acks messages from a subscription on the Pub/Sub emulator and
/// prints each one's data and attributes (a dead letter's <c>reason</c> and <c>detail</c> among them). gcloud cannot
/// do this locally: <c>gcloud pubsub subscriptions pull</c> ignores <c>PUBSUB_EMULATOR_HOST</c>.
/// </summary>
internal static partial class PullCommand
{
    public const string HostVariable = "PUBSUB_EMULATOR_HOST";

    private static readonly Option<string> Host = EmulatorAddress.HostOption(HostVariable);
    private static readonly Option<string> Subscription = new("--subscription") { Description = "The subscription, projects/P/subscriptions/S.", Required = true };
    private static readonly Option<int> Limit = new Option<int>("--limit") { Description = "Most messages to pull (1 to 1000).", DefaultValueFactory = _ => 10 }.WholeNumber(1, 1_000);
    private static readonly Option<string?> LogFormat = LogFormats.Option("a message per line with its data and attributes, then the count");

    public static Command Create()
    {
        var command = new Command("pull", "Pull and ack messages from a subscription on the Pub/Sub emulator; print their data and attributes.")
        {
            Host, Subscription, Limit, LogFormat,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "Pulled what was there (possibly nothing)."),
            new ExitCode(ExitCodes.Failure, "The emulator refused the pull or the ack."),
            new ExitCode(ExitCodes.BadInput, "No emulator named, or a bad --subscription, --limit or --log-format."));
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string? host = EmulatorAddress.Resolve(parse, Host, HostVariable);
        string subscription = parse.GetRequiredValue(Subscription);
        if (host is null || !LogFormats.TryRead(parse, LogFormat, out bool json))
        {
            return ExitCodes.BadInput;
        }

        if (!SubscriptionPattern().IsMatch(subscription))
        {
            Console.Error.WriteLine($"error: --subscription is '{subscription}'; allowed projects/PROJECT/subscriptions/NAME.");
            return ExitCodes.BadInput;
        }

        using GrpcChannel channel = EmulatorAddress.Channel(host);
        var client = new Subscriber.SubscriberClient(channel);
        int limit = parse.GetValue(Limit), pulled = 0;
        try
        {
            // A few empty answers in a row end it: the subscription is drained (for now).
            for (int empty = 0; pulled < limit && empty < 3;)
            {
                PullResponse response = await PullOnceAsync(client, subscription, limit - pulled, cancellationToken);
                if (response.ReceivedMessages.Count == 0)
                {
                    empty++;
                    continue;
                }

                foreach (ReceivedMessage received in response.ReceivedMessages)
                {
                    Print(received.Message, json);
                }

                pulled += response.ReceivedMessages.Count;
                var ack = new AcknowledgeRequest { Subscription = subscription };
                ack.AckIds.Add(response.ReceivedMessages.Select(m => m.AckId));
                await client.AcknowledgeAsync(ack, cancellationToken: cancellationToken);
            }
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"error: pulling {subscription} from the Pub/Sub emulator at {host} failed with {e.StatusCode} ({e.Status.Detail}).");
            return ExitCodes.Failure;
        }

        if (json)
        {
            JsonLines.Write("summary", new { Subscription = subscription, Pulled = pulled });
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{pulled} messages pulled and acked from {subscription}."));
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// One pull. returnImmediately, deprecated for Pub/Sub itself, is what lets the emulator answer an empty
    /// subscription at once; the short deadline covers an emulator that waits anyway.
    /// </summary>
    private static async Task<PullResponse> PullOnceAsync(Subscriber.SubscriberClient client, string subscription, int max, CancellationToken cancellationToken)
    {
#pragma warning disable CS0612 // ReturnImmediately: see above.
        var request = new PullRequest { Subscription = subscription, MaxMessages = max, ReturnImmediately = true };
#pragma warning restore CS0612
        try
        {
            return await client.PullAsync(request, deadline: TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(5), cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            return new PullResponse();
        }
    }

    [GeneratedRegex("^projects/[^/]+/subscriptions/[^/]+$")]
    private static partial Regex SubscriptionPattern();

    private static void Print(PubsubMessage message, bool json)
    {
        string? published = message.PublishTime?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        if (json)
        {
            JsonLines.Write("received", new
            {
                Id = message.MessageId,
                Published = published,
                Bytes = message.Data.Length,
                Data = Data(message),
                Attributes = new SortedDictionary<string, string>(message.Attributes, StringComparer.Ordinal),
            });
            return;
        }

        published ??= "?";
        Console.WriteLine($"message {message.MessageId}, published {published}, {message.Data.Length} bytes: {Data(message)}");
        foreach (KeyValuePair<string, string> attribute in message.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {attribute.Key} = {attribute.Value}");
        }
    }

    /// <summary>The data as text when it is UTF-8 (events are JSON), else base64.</summary>
    private static string Data(PubsubMessage message)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(message.Data.Span);
        }
        catch (DecoderFallbackException)
        {
            return "base64:" + message.Data.ToBase64();
        }
    }
}
