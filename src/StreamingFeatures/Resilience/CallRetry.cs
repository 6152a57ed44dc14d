using Grpc.Core;
using Polly;
using Polly.Retry;

namespace StreamingFeatures.Resilience;

/// <summary>
/// A Polly retry pipeline for one kind of call: transient failures (by the classifier) are retried with exponential
/// backoff and jitter — or the server's RetryInfo delay — while the call's deadline allows; each attempt gets a gRPC
/// deadline of its own so a stalled connection fails the attempt instead of hanging the call. When the deadline
/// passes (or the attempts run out), the call fails with a <see cref="CallGaveUpException"/> naming it. Permanent
/// failures pass through as they are. A resumable stream marks its progress (<see cref="Attempt.Progressed"/>): the
/// attempts and the deadline then count from there, so a long read survives many breaks but a stuck one gives up.
/// </summary>
internal sealed class CallRetry
{
    private static readonly ResiliencePropertyKey<CallState> StateKey = new("StreamingFeatures.CallState");

    private readonly CallRetryOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<Exception, bool> _isTransient;
    private readonly ResiliencePipeline _pipeline;

    public CallRetry(CallRetryOptions options, TimeProvider time, Func<Exception, bool>? isTransient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _options = options;
        _time = time;
        _isTransient = isTransient ?? TransientErrors.IsTransient;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context)),
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(StateKey, null!).NextDelay),
            })
            .Build();
    }

    public CallRetryOptions Options => _options;

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails permanently, or the deadline passes.</summary>
    /// <param name="call">Names the call in a give-up message, e.g. "Bigtable ReadRows on table 'features'".</param>
    /// <param name="attempt">One attempt; pass <see cref="Attempt.Deadline"/> to the gRPC call.</param>
    /// <param name="cancellationToken">Stops the call between or during attempts.</param>
    /// <exception cref="CallGaveUpException">Transient failures went on past the deadline.</exception>
    public async Task<T> ExecuteAsync<T>(string call, Func<Attempt, Task<T>> attempt, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        var state = new CallState(_time);
        context.Properties.Set(StateKey, state);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, args) => args.Self.RunAttemptAsync(ctx, args.Attempt),
                context,
                (Self: this, Attempt: attempt)).ConfigureAwait(false);
        }
        catch (RpcException e) when (_isTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            throw CallGaveUpException.Create(call, _time.GetElapsedTime(state.Started), state.Attempts, e.StatusCode, e.Status.Detail, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public async Task ExecuteAsync(string call, Func<Attempt, Task> attempt, CancellationToken cancellationToken) =>
        await ExecuteAsync(call, async a => { await attempt(a).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the first): exponential, capped, jittered to 50–100 %.</summary>
    internal static TimeSpan Backoff(CallRetryOptions options, int retry, double jitter)
    {
        double ticks = options.InitialBackoff.Ticks * Math.Pow(2, Math.Min(retry - 1, 30));
        ticks = Math.Min(ticks, options.MaxBackoff.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (0.5 + (0.5 * jitter))));
    }

    /// <summary>The next wait when a retry is left and still fits before the deadline, else null (give up).</summary>
    internal static TimeSpan? NextDelay(CallRetryOptions options, TimeSpan elapsed, int attempts, TimeSpan? serverDelay, double jitter)
    {
        if (attempts >= options.MaxAttempts)
        {
            return null;
        }

        TimeSpan delay = serverDelay ?? Backoff(options, attempts, jitter);
        return elapsed + delay < options.Deadline ? delay : null;
    }

    private bool ShouldRetry(Exception? error, ResilienceContext context)
    {
        if (error is null || context.CancellationToken.IsCancellationRequested || !_isTransient(error))
        {
            return false;
        }

        CallState state = context.Properties.GetValue(StateKey, null!);
        TimeSpan? next = NextDelay(_options, _time.GetElapsedTime(state.Started), state.Attempts, TransientErrors.ServerDelay(error), _options.Jitter ? Random.Shared.NextDouble() : 1);
        state.NextDelay = next ?? TimeSpan.Zero;
        return next is not null;
    }

    private async ValueTask<T> RunAttemptAsync<T>(ResilienceContext context, Func<Attempt, Task<T>> attempt)
    {
        CallState state = context.Properties.GetValue(StateKey, null!);
        state.Attempts++;
        TimeSpan left = _options.Deadline - _time.GetElapsedTime(state.Started);
        TimeSpan timeout = left < _options.AttemptTimeout ? (left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1)) : _options.AttemptTimeout;
        return await attempt(new Attempt(state.Attempts, _time.GetUtcNow().UtcDateTime + timeout, context.CancellationToken) { State = state }).ConfigureAwait(false);
    }

    internal sealed class CallState(TimeProvider time)
    {
        public long Started { get; private set; } = time.GetTimestamp();

        public int Attempts { get; set; }

        public TimeSpan NextDelay { get; set; }

        /// <summary>The running attempt counts as the first since now, and the deadline starts over.</summary>
        public void Progressed()
        {
            Attempts = 1;
            Started = time.GetTimestamp();
        }
    }
}

/// <summary>One attempt of a retried call: its number (1 for the first), its gRPC deadline, and the cancellation.</summary>
internal readonly record struct Attempt(int Number, DateTime Deadline, CancellationToken CancellationToken)
{
    internal CallRetry.CallState? State { get; init; }

    /// <summary>The call made progress (a resumed stream handed rows on): attempts and the deadline count from here.</summary>
    public void Progressed() => State?.Progressed();
}
