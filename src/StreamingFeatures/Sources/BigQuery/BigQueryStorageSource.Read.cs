using System.Globalization;
using System.Threading.Tasks.Dataflow;
using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>Reading the session's streams: in parallel under a bound, each resumed at its offset after a break.</summary>
public sealed partial class BigQueryStorageSource
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, long> _ended = new();
    private CallRetry? _readRetry;
    private long _retries;

    /// <summary>Streams read to their end in this run, with their row counts (a checkpoint marks them complete).</summary>
    public IReadOnlyDictionary<int, long> EndedStreams => _ended;

    /// <summary>ReadRows calls retried or resumed so far (for progress reports).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken) =>
        RunAsync(target, _options.StartOffsets, cancellationToken);

    /// <summary>
    /// Reads every stream of this shard (all of them unsharded), starting partition <c>p</c> at <paramref name="startOffsets"/>[p] (rows already handed on by
    /// an earlier run of the same session); one chunk per response (an Arrow record batch or a block of Avro rows).
    /// </summary>
    public async Task RunAsync(ITargetBlock<SourceChunk> target, IReadOnlyDictionary<int, long>? startOffsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        _startOffsets = startOffsets;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentStreams, CancellationToken = cancellationToken };
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task watch = Rebalancer?.WatchAsync(watching.Token) ?? Task.CompletedTask;
        try
        {
            await Parallel.ForEachAsync(
                PartitionsAsync(cancellationToken),
                parallel,
                (partition, ct) => new ValueTask(ReadStreamAsync(partition, startOffsets?.GetValueOrDefault(partition) ?? 0, target, ct))).ConfigureAwait(false);
            await CheckGivenPartitionsReadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await watching.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// One stream, resumed at its offset after a transient break (the BigQuery read pipeline: its attempts and deadline
    /// count from the last rows handed on); a permanent error, or breaks past the deadline, fail the job naming where.
    /// </summary>
    private async Task ReadStreamAsync(int partition, long offset, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        string stream;
        try
        {
            stream = StreamOf(partition);
        }
        catch
        {
            Interlocked.Decrement(ref _reading);
            throw;
        }

        try
        {
            if (Session.ExpireTime is { } expired && expired <= _options.TimeProvider.GetUtcNow())
            {
                throw Expired(stream, offset, expired, null);
            }

            _readRetry ??= ReadRetry(_options);
            await _readRetry.ExecuteAsync(
                "BigQuery ReadRows",
                async attempt =>
                {
                    if (attempt.Number > 1)
                    {
                        Interlocked.Increment(ref _retries);
                    }

                    // No deadline: a stream reads for as long as its share of the table takes.
                    AsyncServerStreamingCall<ReadRowsResponse> call = _client.ReadRows(
                        new ReadRowsRequest { ReadStream = stream, Offset = offset }, RoutingHeader("read_stream", stream), cancellationToken: attempt.CancellationToken);
                    try
                    {
                        // Responses a split attempt had already received, and the read it left pending.
                        var queued = new Queue<ReadRowsResponse>();
                        Task<bool>? pending = null;
                        while (true)
                        {
                            if (!queued.TryDequeue(out ReadRowsResponse? response))
                            {
                                Task<bool> next = pending ?? call.ResponseStream.MoveNext(attempt.CancellationToken);
                                pending = null;
                                if (!await next.ConfigureAwait(false))
                                {
                                    break;
                                }

                                response = call.ResponseStream.Current;
                            }

                            if (response.RowCount == 0)
                            {
                                continue;
                            }

                            SourceChunk chunk = Decode(stream, partition, offset, response);
                            if (!await target.SendAsync(chunk, attempt.CancellationToken).ConfigureAwait(false))
                            {
                                return;
                            }

                            // Only rows the target accepted count: a resume asks for the next one.
                            offset += chunk.RowCount;
                            attempt.Progressed();
                            if (queued.Count == 0 && pending is null && Rebalancer is { } rebalancer && rebalancer.SplitWanted()
                                && await TryHandOverAsync(rebalancer, attempt.CancellationToken).ConfigureAwait(false) is null
                                && await TrySplitAsync(partition, stream, offset, response.Stats?.Progress?.AtResponseEnd ?? 0, call, attempt.CancellationToken).ConfigureAwait(false) is { } split)
                            {
                                (call, stream, pending) = (split.Call, split.Stream, split.Pending);
                                foreach (ReadRowsResponse received in split.Queued)
                                {
                                    queued.Enqueue(received);
                                }
                            }
                        }
                    }
                    finally
                    {
                        call.Dispose();
                    }

                    _ended[partition] = offset;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (CallGaveUpException e)
        {
            throw Failure(stream, offset, e.Message.TrimEnd('.') + " (without progress)", e.InnerException);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested && IsExpiry(e))
        {
            throw Expired(stream, offset, Session.ExpireTime is { } at && at <= _options.TimeProvider.GetUtcNow() ? at : _options.TimeProvider.GetUtcNow(), e);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            string why = "permanent error";
            if (Session.ExpireTime is { } expires && expires <= _options.TimeProvider.GetUtcNow())
            {
                why = string.Create(CultureInfo.InvariantCulture, $"the read session expired at {expires:u} (BigQuery keeps read sessions for 6 hours); rows already written stay, a rerun with --restart reads the table again (shards: after deleting the shards' plan row)");
            }

            throw Failure(stream, offset, $"{why}: {e.StatusCode}: {e.Status.Detail}", e);
        }
        finally
        {
            Interlocked.Decrement(ref _reading);
        }
    }

    /// <summary>FAILED_PRECONDITION naming an expired session (the service's answer to a read after the 6 hours), or past the session's expire time.</summary>
    private bool IsExpiry(RpcException e) => e.StatusCode == StatusCode.FailedPrecondition
        && (e.Status.Detail.Contains("expired", StringComparison.OrdinalIgnoreCase) || Session.ExpireTime <= _options.TimeProvider.GetUtcNow());

    private BigQuerySessionExpiredException Expired(string stream, long offset, DateTimeOffset at, Exception? inner)
    {
        string message = string.Create(CultureInfo.InvariantCulture, $"The read session {Session.Name} on {_options.Table} expired at {at:u}; stream {stream} stopped at offset {offset}.");
        return inner is null
            ? new BigQuerySessionExpiredException(message) { Session = Session.Name, ExpiredAt = at }
            : new BigQuerySessionExpiredException(message, inner) { Session = Session.Name, ExpiredAt = at };
    }

    /// <summary>The BigQuery read pipeline with this source's bounds (a backoff of 0 waits 1 ms, the pipeline's least).</summary>
    private static CallRetry ReadRetry(BigQuerySourceOptions options) => new(
        CallRetryOptions.BigQueryRead with
        {
            Deadline = options.RetryDeadline,
            MaxAttempts = options.MaxReadAttempts,
            InitialBackoff = options.InitialBackoff > TimeSpan.FromMilliseconds(1) ? options.InitialBackoff : TimeSpan.FromMilliseconds(1),
            MaxBackoff = options.MaxBackoff > TimeSpan.FromMilliseconds(1) ? options.MaxBackoff : TimeSpan.FromMilliseconds(1),
        },
        options.TimeProvider,
        e => e is RpcException rpc && TransientErrors.IsTransientRead(rpc));

    private SourceChunk Decode(string stream, int partition, long offset, ReadRowsResponse response)
    {
        SourceChunk chunk;
        try
        {
            chunk = _decoder.Decode(partition, offset, response);
        }
        catch (InvalidDataException e)
        {
            throw Failure(stream, offset, $"the {DataFormat} rows do not decode: {e.Message}", e);
        }

        return chunk.RowCount == response.RowCount
            ? chunk
            : throw Failure(stream, offset, $"the response says {response.RowCount} rows; its {DataFormat} rows hold {chunk.RowCount}", null);
    }

    private BigQuerySourceException Failure(string stream, long offset, string reason, Exception? inner)
    {
        string message = string.Create(CultureInfo.InvariantCulture, $"Reading {_options.Table} failed on stream {stream} at offset {offset}: {reason}");
        return inner is null ? new BigQuerySourceException(message) : new BigQuerySourceException(message, inner);
    }
}
