using Google.Cloud.PubSub.V1;
using Grpc.Core;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// Publishes poison messages to the dead-letter topic: the original data and attributes, plus <c>reason</c> (a
/// <see cref="DeadLetterReason"/> name), <c>detail</c>, <c>original_message_id</c> and <c>subscription</c>. A failed
/// publish is tried again a few times with backoff; the caller acks only what was published.
/// </summary>
internal sealed class DeadLetterPublisher(Publisher.PublisherClient client, string topic, string subscription, TimeProvider time)
{
    public const string ReasonAttribute = "reason";
    public const string DetailAttribute = "detail";
    public const string MessageIdAttribute = "original_message_id";
    public const string SubscriptionAttribute = "subscription";

    /// <summary>Pub/Sub's limit on one publish request, with room for the added attributes.</summary>
    public const int MaxRequestBytes = 9_000_000;

    public const int MaxRequestMessages = 1_000;

    private const int Attempts = 4;
    // Pub/Sub allows 1,024 bytes per attribute value.
    private const int MaxDetailBytes = 1_000;
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(30);

    public string Topic => topic;

    public PubsubMessage ToDeadLetter(PubsubMessage original, DeadLetterReason reason, string detail)
    {
        var message = new PubsubMessage { Data = original.Data, OrderingKey = original.OrderingKey };
        message.Attributes.Add(original.Attributes);
        message.Attributes[ReasonAttribute] = reason.ToString();
        message.Attributes[DetailAttribute] = Truncate(detail);
        message.Attributes[MessageIdAttribute] = original.MessageId;
        message.Attributes[SubscriptionAttribute] = subscription;
        return message;
    }

    /// <summary>Publishes the messages in one request; null when it landed, else the last error.</summary>
    public async Task<string?> PublishAsync(IReadOnlyList<PubsubMessage> messages, CancellationToken cancellationToken)
    {
        var request = new PublishRequest { Topic = topic };
        request.Messages.Add(messages);
        string? error = null;
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                // gRPC measures deadlines on the wall clock, which the injected clock is outside tests.
                await client.PublishAsync(request, deadline: time.GetUtcNow().UtcDateTime + s_callTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"publishing {messages.Count} dead letters to {topic} failed with {e.StatusCode} ({e.Status.Detail})";
                if (attempt < Attempts && e.StatusCode is not (StatusCode.NotFound or StatusCode.PermissionDenied or StatusCode.InvalidArgument))
                {
                    await Task.Delay(s_firstRetry * (1 << (attempt - 1)), time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                break;
            }
        }

        return error;
    }

    private static string Truncate(string detail)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(detail) <= MaxDetailBytes)
        {
            return detail;
        }

        int length = Math.Min(detail.Length, MaxDetailBytes);
        while (length > 0 && System.Text.Encoding.UTF8.GetByteCount(detail.AsSpan(0, length)) > MaxDetailBytes - 3)
        {
            length -= Math.Max(1, length / 8);
        }

        return detail[..length] + "…";
    }
}
