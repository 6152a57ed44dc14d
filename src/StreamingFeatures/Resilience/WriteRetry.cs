using Polly;
using Polly.Retry;
using StreamingFeatures.Bigtable;

namespace StreamingFeatures.Resilience;

/// <summary>
/// The Bigtable write pipeline. MutateRows answers per entry, so it retries on the attempt's result, not an
/// exception: while entries are pending (retryable by <see cref="TransientErrors.IsRetryableWrite"/>) it waits the
/// server's RetryInfo delay when given, else exponential backoff with jitter within the writer's bounds, up to
/// <see cref="BigtableWriterOptions.MaxAttempts"/>, and never starts a wait that ends past the retry deadline.
/// </summary>
internal static class WriteRetry
{
    /// <summary>When the caller's retries must end; set it on the context before each execution.</summary>
    public static readonly ResiliencePropertyKey<DateTimeOffset> Deadline = new("StreamingFeatures.WriteDeadline");

    public static ResiliencePipeline<WriteAttempt> Create(BigtableWriterOptions options, TimeProvider time) =>
        new ResiliencePipelineBuilder<WriteAttempt> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<WriteAttempt>
            {
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, time)),
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryDelay),
            })
            .Build();

    private static bool ShouldRetry(Outcome<WriteAttempt> outcome, ResilienceContext context, TimeProvider time)
    {
        if (outcome.Result is not { Pending: > 0 } result || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        DateTimeOffset next = time.GetUtcNow() + (result.RetryDelay ?? TimeSpan.Zero);
        return next < context.Properties.GetValue(Deadline, DateTimeOffset.MinValue);
    }
}
