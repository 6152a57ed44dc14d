using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using Polly;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Resilience;
using StreamingFeatures.Telemetry;

namespace StreamingFeatures.Bigtable;

/// <summary>
/// Writes batches with MutateRows. Bigtable answers per entry: delivered entries are done, permanent failures go to
/// the dead letter with their code, and only the retryable failures are sent again — after the server's RetryInfo
/// delay when it gives one, else exponential backoff with jitter — until they land or the retry deadline passes.
/// Requests and bytes in flight are bounded; RateLimitInfo sets the request rate. This is the I/O driver: which
/// entries an attempt sends and what each answer means is <see cref="MutateRowsRequestManager"/>'s bookkeeping, when
/// to try again is <see cref="WriteRetry"/>'s.
/// </summary>
internal sealed class BigtableWriter
{
    private static readonly ResiliencePropertyKey<WriteState> StateKey = new("StreamingFeatures.WriteState");

    private readonly BigtableTarget _target;
    private readonly byte[] _header;
    private readonly BigtableWriterOptions _options;
    private readonly TimeProvider _time;
    private readonly PipelineMetrics _metrics;
    private readonly FlowBudget _bytes;
    private readonly ResiliencePipeline<WriteAttempt> _retry;

    public BigtableWriter(BigtableTarget target, BigtableWriterOptions options, TimeProvider time, PipelineMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _target = target;
        _header = MutateRowsMethod.Header(target.TableName, target.AppProfileId);

        // A copy: a caller changing its options object later changes nothing here.
        _options = options with { };
        _time = time;
        _metrics = metrics;
        _bytes = FlowBudget.ForBytes(options.MaxBytesInFlight);
        RateLimiter = new AdaptiveRateLimiter(time, options.MinRequestsPerSecond);
        metrics.ObserveRateLimit(() => RateLimiter.RequestsPerSecond);
        _retry = WriteRetry.Create(_options, time);
    }

    public AdaptiveRateLimiter RateLimiter { get; }

    public long BytesInFlight => _bytes.Bytes;

    public async Task<WriteOutcome> WriteAsync(MutationBatch batch, CancellationToken cancellationToken)
    {
        int rows = batch.Rows.RowCount;
        if (rows == 0)
        {
            return new WriteOutcome(batch, [], [], 0, 0);
        }

        var state = new WriteState(batch, new MutateRowsRequestManager(rows), _time.GetUtcNow() + _options.RetryDeadline, _time.GetTimestamp());
        long bytes = batch.Rows.ByteCount + _header.Length;
        await _bytes.AcquireAsync(bytes, cancellationToken).ConfigureAwait(false);
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(StateKey, state);
            context.Properties.Set(WriteRetry.Deadline, state.Deadline);
            long started = _time.GetTimestamp();
            await _retry.ExecuteAsync(static (ctx, self) => self.AttemptAsync(ctx), context, this).ConfigureAwait(false);
            _metrics.WriteLatency.Record(_time.GetElapsedTime(started).TotalSeconds);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            _bytes.Release(bytes);
        }

        MutateRowsRequestManager entries = state.Entries;
        if (entries.Pending.Count > 0 && entries.CallFailed && !cancellationToken.IsCancellationRequested)
        {
            // The whole call kept failing (Bigtable unreachable), not some entries: that is an outage, not a bad row,
            // so the job stops naming the call instead of dead-lettering every row it is given until it ends.
            throw CallGaveUpException.Create(
                $"Bigtable MutateRows on table '{_target.TableId}'",
                _time.GetElapsedTime(state.Started),
                entries.Attempts,
                entries.LastRetryableCode,
                entries.LastRetryableMessage,
                null);
        }

        entries.GiveUp(_options.RetryDeadline);
        _metrics.RowsWritten.Add(rows - entries.Failures.Count);
        _metrics.Batches.Add(1);
        return new WriteOutcome(batch, entries.Failed, DeadLetters(batch, entries.Failures), entries.Attempts, entries.Retried);
    }

    private static KeyValuePair<string, object?> CodeTag(StatusCode code) => new("code", code.ToString());

    private static List<DeadLetter> DeadLetters(MutationBatch batch, IReadOnlyList<EntryFailure> failures)
    {
        var deadLetters = new List<DeadLetter>(failures.Count);
        foreach (EntryFailure failure in failures)
        {
            ref readonly MappedRow row = ref batch.Rows[failure.Index];
            deadLetters.Add(new DeadLetter(
                failure.Reason,
                $"Bigtable refused the row ({failure.Code}): {failure.Message}",
                row.Partition,
                row.SourceOffset,
                RowKeyFormat.Display(batch.Rows.Key(failure.Index)),
                StatusCode: failure.Code.ToString()));
        }

        return deadLetters;
    }

    private async ValueTask<WriteAttempt> AttemptAsync(ResilienceContext context)
    {
        WriteState state = context.Properties.GetValue(StateKey, null!);
        MutateRowsRequestManager entries = state.Entries;
        CancellationToken cancellationToken = context.CancellationToken;

        // A backoff that ran past the deadline ends the retries; an attempt now could only time out on our side.
        if (entries.Attempts > 0 && _time.GetUtcNow() >= state.Deadline)
        {
            return new WriteAttempt(entries.Pending.Count, RetryDelay: null);
        }

        IReadOnlyList<int> indexes = entries.StartAttempt();
        await RateLimiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var payload = new MutateRowsPayload(_header, state.Batch.Rows, indexes);
        DateTime deadline = MutateRowsRequestManager.AttemptDeadline(_time.GetUtcNow(), state.Deadline, _options.AttemptTimeout);
        try
        {
            await StreamAsync(payload, entries, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            if (entries.OnCallFailed(e.StatusCode, e.Status.Detail, TransientErrors.RetryDelay(e)))
            {
                _metrics.Retries.Add(indexes.Count, CodeTag(e.StatusCode));
            }
        }
        catch (RpcException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return entries.EndAttempt();
    }

    /// <summary>One MutateRows call: each answer goes to the bookkeeping, each RateLimitInfo to the rate limiter.</summary>
    private async Task StreamAsync(MutateRowsPayload payload, MutateRowsRequestManager entries, DateTime deadline, CancellationToken cancellationToken)
    {
        using AsyncServerStreamingCall<MutateRowsResponse> call = _target.Invoker.AsyncServerStreamingCall(
            MutateRowsMethod.Method, host: null, new CallOptions(_target.RequestParams, deadline, cancellationToken), payload);
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            MutateRowsResponse response = call.ResponseStream.Current;
            if (response.RateLimitInfo is { } rateLimit)
            {
                RateLimiter.Apply(rateLimit.Factor, rateLimit.Period?.ToTimeSpan() ?? TimeSpan.Zero);
            }

            foreach (MutateRowsResponse.Types.Entry entry in response.Entries)
            {
                if (entries.OnEntry(entry.Index, entry.Status) == EntryResult.Retry)
                {
                    _metrics.Retries.Add(1, CodeTag((StatusCode)entry.Status.Code));
                }
            }
        }
    }

    private sealed class WriteState(MutationBatch batch, MutateRowsRequestManager entries, DateTimeOffset deadline, long started)
    {
        public MutationBatch Batch { get; } = batch;

        public MutateRowsRequestManager Entries { get; } = entries;

        public DateTimeOffset Deadline { get; } = deadline;

        public long Started { get; } = started;
    }
}
