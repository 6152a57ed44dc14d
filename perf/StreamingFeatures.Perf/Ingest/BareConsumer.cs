using Google.Cloud.PubSub.V1;
using Grpc.Core;

namespace StreamingFeatures.Perf.Ingest;

/// <summary>
/// The reference: StreamingPull streams that ack each response's messages at once (one unary Acknowledge per
/// response, not awaited before the next read) and do nothing else, under the same flow control as the service.
/// Acks sent on the stream itself are not honoured promptly by the emulator (flow control then waits out the ack
/// deadline), which is also why the service acks with Acknowledge. How fast it drains a backlog is as fast as the Pub/Sub emulator
/// can deliver on this machine.
/// </summary>
internal static class BareConsumer
{
    /// <summary>Pulls and acks until <paramref name="expected"/> messages have arrived; returns how many arrived.</summary>
    public static async Task<long> DrainAsync(CallInvoker invoker, string subscription, long expected, int streams, int maxOutstandingMessages)
    {
        long received = 0;
        using var done = new CancellationTokenSource();
        var client = new Subscriber.SubscriberClient(invoker);
        string clientId = Guid.NewGuid().ToString("N");

        async Task PullAsync()
        {
            using AsyncDuplexStreamingCall<StreamingPullRequest, StreamingPullResponse> call = client.StreamingPull(cancellationToken: done.Token);
            await call.RequestStream.WriteAsync(new StreamingPullRequest
            {
                Subscription = subscription,
                StreamAckDeadlineSeconds = 60,
                ClientId = clientId,
                MaxOutstandingMessages = maxOutstandingMessages,
                MaxOutstandingBytes = 100L * 1024 * 1024,
            }).ConfigureAwait(false);
            var acks = new List<Task>();
            try
            {
                while (await call.ResponseStream.MoveNext(done.Token).ConfigureAwait(false))
                {
                    var ack = new AcknowledgeRequest { Subscription = subscription };
                    foreach (ReceivedMessage message in call.ResponseStream.Current.ReceivedMessages)
                    {
                        ack.AckIds.Add(message.AckId);
                    }

                    acks.RemoveAll(t => t.IsCompletedSuccessfully);
                    acks.Add(client.AcknowledgeAsync(ack).ResponseAsync);
                    if (Interlocked.Add(ref received, ack.AckIds.Count) >= expected)
                    {
                        await done.CancelAsync().ConfigureAwait(false);
                    }
                }
            }
            catch (RpcException) when (done.IsCancellationRequested)
            {
                // Drained: the other streams are cut off here.
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
            }

            await Task.WhenAll(acks).ConfigureAwait(false);
        }

        await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(PullAsync))).ConfigureAwait(false);
        return Interlocked.Read(ref received);
    }
}
