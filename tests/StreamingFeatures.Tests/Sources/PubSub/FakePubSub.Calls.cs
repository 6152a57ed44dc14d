using Google.Cloud.PubSub.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace StreamingFeatures.Tests.Sources.PubSub;

internal sealed partial class FakePubSub
{
    private Empty Acknowledge(AcknowledgeRequest request)
    {
        int number = Interlocked.Increment(ref _ackCalls);
        RpcException? fault = AckFault?.Invoke(number, request);
        lock (_lock)
        {
            _acks.Add(request);
            foreach (string ackId in request.AckIds)
            {
                // With a fault, only the ids its metadata does not name land (as exactly-once subscriptions answer).
                if (fault is null || !Names(fault, ackId))
                {
                    _acked.Add(ackId);
                    _deadlines.Remove(ackId);
                }
            }
        }

        return fault is null ? new Empty() : throw fault;
    }

    private Empty ModifyAckDeadline(ModifyAckDeadlineRequest request)
    {
        DateTimeOffset now = time.GetUtcNow();
        int number = Interlocked.Increment(ref _modAckCalls);
        RpcException? fault = ModAckFault?.Invoke(number, request);
        lock (_lock)
        {
            _modAcks.Add(request);
            foreach (string ackId in request.AckIds)
            {
                if (fault is not null && Names(fault, ackId))
                {
                    continue;
                }

                if (request.AckDeadlineSeconds == 0)
                {
                    _nacked.Add(ackId);
                    _deadlines.Remove(ackId);
                }
                else if (_deadlines.ContainsKey(ackId))
                {
                    _deadlines[ackId] = now + TimeSpan.FromSeconds(request.AckDeadlineSeconds);
                }
            }
        }

        return fault is null ? new Empty() : throw fault;
    }

    private PublishResponse Publish(PublishRequest request)
    {
        RpcException? fault = PublishFault?.Invoke(request);
        lock (_lock)
        {
            _publishes.Add(request);
        }

        if (fault is not null)
        {
            throw fault;
        }

        var response = new PublishResponse();
        response.MessageIds.Add(request.Messages.Select((_, i) => "dl-" + i));
        return response;
    }

    private static bool Names(RpcException fault, string ackId)
    {
        Metadata.Entry? details = fault.Trailers.Get("grpc-status-details-bin");
        if (details is null)
        {
            return true;
        }

        foreach (Any detail in Google.Rpc.Status.Parser.ParseFrom(details.ValueBytes).Details)
        {
            if (detail.TryUnpack(out Google.Rpc.ErrorInfo info) && info.Metadata.ContainsKey(ackId))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One StreamingPull call: takes the initial request, then answers from the backlog until its fault.</summary>
    private sealed class PullStream(FakePubSub server, StreamFault? fault, CancellationToken call) : IClientStreamWriter<StreamingPullRequest>, IAsyncStreamReader<StreamingPullResponse>
    {
        private int _responses;
        private int _ackDeadlineSeconds = 10;
        private bool _initialized;

        public StreamingPullResponse Current { get; private set; } = new();

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(StreamingPullRequest message)
        {
            if (!_initialized)
            {
                _initialized = true;
                _ackDeadlineSeconds = message.StreamAckDeadlineSeconds;
                lock (server._lock)
                {
                    server._initialRequests.Add(message);
                }
            }

            return Task.CompletedTask;
        }

        public Task WriteAsync(StreamingPullRequest message, CancellationToken cancellationToken) => WriteAsync(message);

        public Task CompleteAsync() => Task.CompletedTask;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref server._pulls);
            using var both = CancellationTokenSource.CreateLinkedTokenSource(call, cancellationToken);
            if (fault is not null && _responses >= fault.AfterResponses)
            {
                throw new RpcException(new Grpc.Core.Status(fault.Code, $"fake stream fault {fault.Code}"));
            }

            try
            {
                await server._backlog.Reader.WaitToReadAsync(both.Token);
            }
            catch (OperationCanceledException)
            {
                // As Grpc.Net.Client reports a cancelled call.
                throw new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "Call canceled by the client."));
            }

            var response = new StreamingPullResponse
            {
                SubscriptionProperties = new StreamingPullResponse.Types.SubscriptionProperties { ExactlyOnceDeliveryEnabled = server.ExactlyOnce },
            };
            DateTimeOffset deadline = server.Time.GetUtcNow() + TimeSpan.FromSeconds(_ackDeadlineSeconds);
            while (response.ReceivedMessages.Count < server.MessagesPerResponse && server._backlog.Reader.TryRead(out ReceivedMessage? message))
            {
                response.ReceivedMessages.Add(message);
                lock (server._lock)
                {
                    server._deadlines[message.AckId] = deadline;
                    server.Delivered++;
                }
            }

            _responses++;
            Current = response;
            return true;
        }
    }
}
