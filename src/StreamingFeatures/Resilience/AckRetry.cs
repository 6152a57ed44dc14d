using Polly;
using Polly.Retry;

namespace StreamingFeatures.Resilience;

/// <summary>
/// The Pub/Sub ack pipeline for calls answered per ack id (exactly-once receipt modacks): an attempt returns how many
/// ids Pub/Sub refused transiently (by <see cref="TransientErrors.IsRetryableAck"/> or a <c>TRANSIENT_FAILURE_*</c>
/// reason); those go out again after the preset's backoff until none is left or the attempts run out. Acks and nacks
/// queued in the background use the same preset's bounds (<see cref="CallRetry.Backoff"/>) without blocking a sender.
/// </summary>
internal static class AckRetry
{
    public static ResiliencePipeline<int> Create(CallRetryOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new ResiliencePipelineBuilder<int> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<int>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result > 0 && !args.Context.CancellationToken.IsCancellationRequested),
                MaxRetryAttempts = (options.MaxAttempts ?? int.MaxValue) - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.Jitter,
                Delay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
            })
            .Build();
    }
}
