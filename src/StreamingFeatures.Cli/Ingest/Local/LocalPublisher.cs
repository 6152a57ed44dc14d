using Google.Cloud.PubSub.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace StreamingFeatures.Cli.Ingest.Local;

/// <summary>
/// Publishes synthetic events at a steady rate so local ingestion can be watched live: every <see cref="Tick"/> it
/// publishes the events due since the start (rate × elapsed), in requests of at most <see cref="MaxBatch"/> messages.
/// A publisher that falls more than a second behind skips the backlog instead of flooding the emulator.
/// </summary>
internal sealed partial class LocalPublisher(
    Func<PublishRequest, CancellationToken, Task> publish,
    string topic,
    SyntheticEvents events,
    double eventsPerSecond,
    TimeProvider time,
    ILogger logger)
{
    public const int MaxBatch = 1_000;
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private long _attempted;
    private long _published;
    private long _skipped;
    private long _failed;

    /// <summary>Events Pub/Sub accepted so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Events not published because the publisher fell behind.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Publishes until <paramref name="cancellationToken"/> is cancelled; publish failures are logged, never thrown.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        long start = time.GetTimestamp();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                long due = (long)(eventsPerSecond * time.GetElapsedTime(start).TotalSeconds) - Skipped;
                long behind = due - _attempted;
                long limit = Math.Max((long)Math.Ceiling(eventsPerSecond), MaxBatch);
                if (behind > limit)
                {
                    Interlocked.Add(ref _skipped, behind - limit);
                    behind = limit;
                }

                while (behind > 0 && !cancellationToken.IsCancellationRequested)
                {
                    int count = (int)Math.Min(behind, MaxBatch);
                    var request = new PublishRequest { Topic = topic };
                    for (int i = 0; i < count; i++)
                    {
                        request.Messages.Add(events.Next());
                    }

                    _attempted += count;
                    behind -= count;
                    if (await PublishAsync(request, cancellationToken).ConfigureAwait(false))
                    {
                        Interlocked.Add(ref _published, count);
                    }
                }

                await Task.Delay(Tick, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with the service.
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // Stopped with the service mid-publish: gRPC reports our own cancellation as a CANCELLED call.
        }
    }

    private async Task<bool> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await publish(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            // A demo publisher: count the lost events and go on; log the first failure and then every hundredth.
            if (Interlocked.Increment(ref _failed) % 100 == 1)
            {
                PublishFailed(logger, request.Messages.Count, topic, e.StatusCode, e.Status.Detail, _failed);
            }

            return false;
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Publishing {Count} synthetic events to {Topic} failed: {Code} {Detail} ({Failures} failures so far)")]
    private static partial void PublishFailed(ILogger logger, int count, string topic, StatusCode code, string detail, long failures);
}
