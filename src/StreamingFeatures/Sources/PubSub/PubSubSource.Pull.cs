using System.Threading.Tasks.Dataflow;
using Google.Cloud.PubSub.V1;
using Grpc.Core;
using Polly;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Sources.PubSub;

public sealed partial class PubSubSource
{
    /// <summary>Pulls until <paramref name="cancellationToken"/> asks to stop; broken streams reconnect with backoff.</summary>
    /// <exception cref="PubSubSourceException">A stream failed for good (no such subscription, no permission).</exception>
    public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A Pub/Sub source runs once; create another for another run.");
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);
        StartBackground();
        using var streams = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _pulling.Token);
        Task[] pulls = new Task[_options.StreamCount];
        for (int partition = 0; partition < pulls.Length; partition++)
        {
            int p = partition;
            pulls[p] = Task.Run(() => PullAsync(p, target, streams), CancellationToken.None);
        }

        try
        {
            await Task.WhenAll(pulls).ConfigureAwait(false);
        }
        catch (Exception) when (pulls.All(p => !p.IsFaulted))
        {
            // Only cancellations: a stop was asked for; what was received stays leased until done or closed.
        }

        foreach (Task pull in pulls)
        {
            if (pull.IsFaulted)
            {
                throw pull.Exception!.InnerException!;
            }
        }
    }

    /// <summary>One stream, reconnected until the stop; a permanent failure stops every stream.</summary>
    private async Task PullAsync(int partition, ITargetBlock<SourceChunk> target, CancellationTokenSource streams)
    {
        var state = new StreamState(partition, new EventColumns(_events, _options.MaxChunkRows, _options.PublishTimeFallback));
        CancellationToken stop = streams.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Returns only after a stream that delivered broke: then a short pause, and backoff starts over.
                StatusCode code = await _reconnect.ExecuteAsync(ct => new ValueTask<StatusCode>(SessionAsync(state, target, ct)), stop).ConfigureAwait(false);
                _metrics.Add(_metrics.Reconnects, 1, "code", code.ToString());
                await Task.Delay(_options.InitialReconnectBackoff, _time, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (TargetClosedException)
        {
            // The graph stopped taking rows (it is faulting or completing): nothing more to pull for it.
            await streams.CancelAsync().ConfigureAwait(false);
        }
        catch (PubSubSourceException)
        {
            await streams.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private ResiliencePipeline BuildReconnect() => PullRetry.Create(
        _options.InitialReconnectBackoff,
        _options.MaxReconnectBackoff,
        _time,
        e => e is StreamBrokenException,
        e => _metrics.Add(_metrics.Reconnects, 1, "code", ((StreamBrokenException)e).Code.ToString()));

    /// <summary>
    /// One StreamingPull call: the initial request, then responses until it breaks. Returns the code it broke with
    /// when it had delivered messages (reconnect at once); throws <see cref="StreamBrokenException"/> when it broke
    /// before (reconnect with backoff), or <see cref="PubSubSourceException"/> when retrying cannot help.
    /// </summary>
    private async Task<StatusCode> SessionAsync(StreamState state, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        bool delivered = false;
        using AsyncDuplexStreamingCall<StreamingPullRequest, StreamingPullResponse> call = _subscriber.StreamingPull(cancellationToken: cancellationToken);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool connected = false;
        try
        {
            await call.RequestStream.WriteAsync(InitialRequest(), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _connected);
            connected = true;
            _ = KeepAliveAsync(call, session.Token);
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                delivered = true;
                await DeliverAsync(state, call.ResponseStream.Current, target, cancellationToken).ConfigureAwait(false);
            }

            // The server closed the stream (it does every so often): as a break, without an error.
            return Broken(StatusCode.OK, "the server closed the stream", delivered);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            if (!TransientErrors.IsRecoverablePull(e.StatusCode))
            {
                string failure = Permanent(e);
                Report(failure);
                throw new PubSubSourceException(failure, e);
            }

            return Broken(e.StatusCode, $"{e.StatusCode} ({e.Status.Detail})", delivered);
        }
        catch (RpcException e) when (cancellationToken.IsCancellationRequested)
        {
            // gRPC reports our own cancellation as a CANCELLED call: it is the stop, not a failure.
            throw new OperationCanceledException("Pulling stopped.", e, cancellationToken);
        }
        finally
        {
            await session.CancelAsync().ConfigureAwait(false);
            if (connected)
            {
                Interlocked.Decrement(ref _connected);
            }
        }
    }

    private StatusCode Broken(StatusCode code, string what, bool delivered)
    {
        Report($"StreamingPull on {_options.Subscription} broke: {what}; reconnecting.");
        return delivered ? code : throw new StreamBrokenException(code);
    }

    private StreamingPullRequest InitialRequest() => new()
    {
        Subscription = _options.Subscription,
        StreamAckDeadlineSeconds = (int)LeaseDeadline.TotalSeconds,
        ClientId = _clientId,
        MaxOutstandingMessages = _options.MaxOutstandingMessages,
        MaxOutstandingBytes = _options.MaxOutstandingBytes,
    };

    /// <summary>An empty request every 25 s keeps an idle stream from being closed (Google's clients do the same).</summary>
    private async Task KeepAliveAsync(AsyncDuplexStreamingCall<StreamingPullRequest, StreamingPullResponse> call, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(25), _time, cancellationToken).ConfigureAwait(false);
                await call.RequestStream.WriteAsync(new StreamingPullRequest(), cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Best effort: a failed ping shows up as the stream's own error.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private string Permanent(RpcException e) => e.StatusCode switch
    {
        StatusCode.NotFound => $"Subscription {_options.Subscription} was not found (StreamingPull answered NOT_FOUND: {e.Status.Detail}). Create it, or check the project and name.",
        StatusCode.PermissionDenied => $"Pulling from subscription {_options.Subscription} is not allowed (PERMISSION_DENIED: {e.Status.Detail}); the credentials need roles/pubsub.subscriber on it.",
        _ => $"StreamingPull on subscription {_options.Subscription} failed with {e.StatusCode}, which retrying cannot fix: {e.Status.Detail}",
    };

    /// <summary>A stream's own state, kept across reconnects: its chunk being built and where it starts.</summary>
    private sealed class StreamState(int partition, EventColumns columns)
    {
        public int Partition { get; } = partition;

        public EventColumns Columns { get; } = columns;

        /// <summary>The offset of the chunk's first row (the next offset when the chunk is empty).</summary>
        public long ChunkFirst { get; set; }
    }

    private sealed class StreamBrokenException(StatusCode code) : Exception($"The stream broke with {code}.")
    {
        public StatusCode Code { get; } = code;
    }

    private sealed class TargetClosedException() : Exception("The pipeline no longer takes rows.");
}
