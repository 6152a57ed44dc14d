using Polly;
using Polly.Retry;

namespace StreamingFeatures.Resilience;

/// <summary>
/// The Pub/Sub pull pipeline: a StreamingPull stream that broke before it delivered anything (by
/// <see cref="TransientErrors.IsRecoverablePull"/>) is opened again after exponential backoff with jitter, for as
/// long as the source runs; a stream that had delivered returns instead, and the source reconnects it at once.
/// </summary>
internal static class PullRetry
{
    /// <summary>The pipeline; <paramref name="isBroken"/> says whether an attempt's exception is a stream that broke before
    /// delivering, <paramref name="onRetry"/> is told of each reconnect with that exception.</summary>
    public static ResiliencePipeline Create(TimeSpan initialBackoff, TimeSpan maxBackoff, TimeProvider time, Func<Exception, bool> isBroken, Action<Exception> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && isBroken(e)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = initialBackoff,
                MaxDelay = maxBackoff,
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Exception!);
                    return default;
                },
            })
            .Build();
}
