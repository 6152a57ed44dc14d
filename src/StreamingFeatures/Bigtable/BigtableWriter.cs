using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;
using Polly;
using Polly.Retry;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Resilience;
using StreamingFeatures.Telemetry;
using RpcStatus = Google.Rpc.Status;

namespace StreamingFeatures.Bigtable;

/// <summary>
/// Writes batches with MutateRows. Bigtable answers per entry: delivered entries are done, permanent failures go to
/// the dead letter with their code, and only the retryable failures are sent again — after the server's RetryInfo
/// delay when it gives one, else exponential backoff with jitter — until they land or the retry deadline passes.
/// Requests and bytes in flight are bounded; RateLimitInfo sets the request rate.
/// </summary>
internal sealed class BigtableWriter
{
    private static readonly ResiliencePropertyKey<WriteState> StateKey = new("StreamingFeatures.WriteState");

    private readonly CallInvoker _invoker;
    private readonly string _tableName;
    private readonly byte[] _header;
    private readonly BigtableWriterOptions _options;
    private readonly TimeProvider _time;
    private readonly PipelineMetrics _metrics;
    private readonly ByteBudget _bytes;
    private readonly ResiliencePipeline<AttemptResult> _retry;
    private readonly Metadata _routing;

    public BigtableWriter(CallInvoker invoker, string tableName, string? appProfileId, BigtableWriterOptions options, TimeProvider time, PipelineMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _invoker = invoker;
        _tableName = tableName;
        _header = MutateRowsMethod.Header(tableName, appProfileId);
        _routing = RequestParams(tableName, appProfileId);
        _options = options;
        _time = time;
        _metrics = metrics;
        _bytes = new ByteBudget(options.MaxBytesInFlight);
        RateLimiter = new AdaptiveRateLimiter(time, options.MinRequestsPerSecond);
        _retry = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<AttemptResult>
            {
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryDelay),
            })
            .Build();
    }

    public AdaptiveRateLimiter RateLimiter { get; }

    public long BytesInFlight => _bytes.InFlight;

    public async Task<WriteOutcome> WriteAsync(MutationBatch batch, CancellationToken cancellationToken)
    {
        int rows = batch.Rows.RowCount;
        var state = new WriteState(batch, _time.GetUtcNow() + _options.RetryDeadline, _time.GetTimestamp());
        if (rows == 0)
        {
            return new WriteOutcome(batch, [], [], 0, 0);
        }

        long bytes = batch.Rows.ByteCount + _header.Length;
        await _bytes.AcquireAsync(bytes, cancellationToken).ConfigureAwait(false);
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(StateKey, state);
            long started = _time.GetTimestamp();
            await _retry.ExecuteAsync(static (ctx, self) => self.AttemptAsync(ctx), context, this).ConfigureAwait(false);
            _metrics.WriteLatency.Record(_time.GetElapsedTime(started).TotalMilliseconds);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            _bytes.Release(bytes);
        }

        if (state.Pending.Count > 0 && state.CallFailed && !cancellationToken.IsCancellationRequested)
        {
            // The whole call kept failing (Bigtable unreachable), not some entries: that is an outage, not a bad row,
            // so the job stops naming the call instead of dead-lettering every row it is given until it ends.
            throw CallGaveUpException.Create(
                $"Bigtable MutateRows on table '{_tableName[(_tableName.LastIndexOf('/') + 1)..]}'",
                _time.GetElapsedTime(state.Started),
                state.Attempts,
                state.LastRetryableCode,
                state.LastRetryableMessage,
                null);
        }

        foreach (int index in state.Pending)
        {
            state.Fail(index, DeadLetterReason.RetriesExhausted, state.LastRetryableCode, $"Still failing with {state.LastRetryableCode} after {state.Attempts} attempts over {_options.RetryDeadline}: {state.LastRetryableMessage}");
        }

        _metrics.RowsWritten.Add(rows - state.Failures.Count);
        _metrics.Batches.Add(1);
        return new WriteOutcome(batch, state.Failed, state.Failures, state.Attempts, state.Retried);
    }

    private bool ShouldRetry(Outcome<AttemptResult> outcome, ResilienceContext context)
    {
        if (outcome.Result is not { Pending: > 0 } result || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        WriteState state = context.Properties.GetValue(StateKey, null!);
        DateTimeOffset next = _time.GetUtcNow() + (result.RetryDelay ?? TimeSpan.Zero);
        return next < state.Deadline;
    }

    private async ValueTask<AttemptResult> AttemptAsync(ResilienceContext context)
    {
        WriteState state = context.Properties.GetValue(StateKey, null!);
        CancellationToken cancellationToken = context.CancellationToken;
        if (state.Attempts > 0)
        {
            // A backoff that ran past the deadline ends the retries; an attempt now could only time out on our side.
            if (_time.GetUtcNow() >= state.Deadline)
            {
                return new AttemptResult(state.Pending.Count, RetryDelay: null);
            }

            state.Retried += state.Pending.Count;
        }

        state.Attempts++;
        await RateLimiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var payload = new MutateRowsPayload(_header, state.Batch.Rows, state.Pending.ToArray());
        var reported = new bool[payload.Indexes.Count];
        var stillPending = new List<int>();
        TimeSpan? delay = null;
        TimeSpan left = state.Deadline - _time.GetUtcNow();
        DateTime deadline = _time.GetUtcNow().UtcDateTime + (left < _options.AttemptTimeout ? (left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)) : _options.AttemptTimeout);
        try
        {
            state.CallFailed = false;
            using AsyncServerStreamingCall<MutateRowsResponse> call = _invoker.AsyncServerStreamingCall(
                MutateRowsMethod.Method, host: null, new CallOptions(_routing, deadline, cancellationToken), payload);
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                MutateRowsResponse response = call.ResponseStream.Current;
                if (response.RateLimitInfo is { } rateLimit)
                {
                    RateLimiter.Apply(rateLimit.Factor, rateLimit.Period?.ToTimeSpan() ?? TimeSpan.Zero);
                }

                foreach (MutateRowsResponse.Types.Entry entry in response.Entries)
                {
                    if (entry.Index < 0 || entry.Index >= reported.Length || reported[entry.Index])
                    {
                        continue;
                    }

                    reported[entry.Index] = true;
                    int index = payload.Indexes[(int)entry.Index];
                    RpcStatus? status = entry.Status;
                    var code = (StatusCode)(status?.Code ?? 0);
                    if (code == StatusCode.OK)
                    {
                        continue;
                    }

                    TimeSpan? retryDelay = WriteStatus.RetryDelay(status);
                    if (WriteStatus.IsRetryable(code, retryDelay is not null))
                    {
                        stillPending.Add(index);
                        delay = Max(delay, retryDelay);
                        state.NoteRetryable(code, status!.Message);
                        _metrics.Retries.Add(1, new KeyValuePair<string, object?>("code", code.ToString()));
                    }
                    else
                    {
                        state.Fail(index, DeadLetterReason.PermanentWriteFailure, code, status!.Message);
                    }
                }
            }
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan? retryDelay = WriteStatus.RetryDelay(e);
            bool retryable = WriteStatus.IsRetryable(e.StatusCode, retryDelay is not null);
            delay = Max(delay, retryDelay);
            for (int i = 0; i < reported.Length; i++)
            {
                if (reported[i])
                {
                    continue;
                }

                reported[i] = true;
                if (retryable)
                {
                    stillPending.Add(payload.Indexes[i]);
                }
                else
                {
                    state.Fail(payload.Indexes[i], DeadLetterReason.PermanentWriteFailure, e.StatusCode, e.Status.Detail);
                }
            }

            state.CallFailed = retryable;
            if (retryable)
            {
                state.NoteRetryable(e.StatusCode, e.Status.Detail);
                _metrics.Retries.Add(reported.Length, new KeyValuePair<string, object?>("code", e.StatusCode.ToString()));
            }
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        // An entry the server never answered for is unknown, not lost: writes are idempotent, so send it again.
        for (int i = 0; i < reported.Length; i++)
        {
            if (!reported[i])
            {
                stillPending.Add(payload.Indexes[i]);
                state.NoteRetryable(StatusCode.Unknown, "no status returned for the entry");
            }
        }

        state.Pending = stillPending;
        return new AttemptResult(stillPending.Count, delay);
    }

    /// <summary>
    /// The headers Google's clients send on data calls: routing by table and app profile, and the feature flags
    /// without which Bigtable sends neither RetryInfo nor RateLimitInfo.
    /// </summary>
    internal static Metadata RequestParams(string tableName, string? appProfileId) => new()
    {
        {
            "x-goog-request-params",
            $"table_name={Uri.EscapeDataString(tableName)}" + (string.IsNullOrEmpty(appProfileId) ? string.Empty : $"&app_profile_id={Uri.EscapeDataString(appProfileId)}")
        },
        { "bigtable-features", FeatureFlagsHeader },
    };

    /// <summary>FeatureFlags, serialised and base64url-encoded as Google's clients send it.</summary>
    internal static string FeatureFlagsHeader { get; } = Convert.ToBase64String(new FeatureFlags
    {
        RetryInfo = true,
        MutateRowsRateLimit = true,
        MutateRowsRateLimit2 = true,
        LastScannedRowResponses = true,
    }.ToByteArray()).Replace('+', '-').Replace('/', '_');

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private sealed record AttemptResult(int Pending, TimeSpan? RetryDelay);

    private sealed class WriteState(MutationBatch batch, DateTimeOffset deadline, long started)
    {
        public long Started { get; } = started;

        /// <summary>The last attempt failed as a whole call (no connection, reset, timeout), not entry by entry.</summary>
        public bool CallFailed { get; set; }

        public MutationBatch Batch { get; } = batch;

        public DateTimeOffset Deadline { get; } = deadline;

        public List<int> Pending { get; set; } = [.. Enumerable.Range(0, batch.Rows.RowCount)];

        public bool[] Failed { get; } = new bool[batch.Rows.RowCount];

        public List<DeadLetter> Failures { get; } = [];

        public int Attempts { get; set; }

        public long Retried { get; set; }

        public StatusCode LastRetryableCode { get; private set; }

        public string LastRetryableMessage { get; private set; } = string.Empty;

        public void NoteRetryable(StatusCode code, string message)
        {
            LastRetryableCode = code;
            LastRetryableMessage = message;
        }

        public void Fail(int index, DeadLetterReason reason, StatusCode code, string message)
        {
            if (Failed[index])
            {
                return;
            }

            Failed[index] = true;
            ref readonly MappedRow row = ref Batch.Rows[index];
            Failures.Add(new DeadLetter(
                reason,
                $"Bigtable refused the row ({code}): {message}",
                row.Partition,
                row.SourceOffset,
                RowKeyFormat.Display(Batch.Rows.Key(index)),
                StatusCode: code.ToString()));
        }
    }
}
