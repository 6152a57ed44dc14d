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
    private long _retries;

    /// <summary>Streams read to their end in this run, with their row counts (a checkpoint marks them complete).</summary>
    public IReadOnlyDictionary<int, long> EndedStreams => _ended;

    /// <summary>ReadRows calls retried or resumed so far (for progress reports).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken) =>
        RunAsync(target, _options.StartOffsets, cancellationToken);

    /// <summary>
    /// Reads every stream, starting partition <c>p</c> at <paramref name="startOffsets"/>[p] (rows already handed on by
    /// an earlier run of the same session); one chunk per response (an Arrow record batch or a block of Avro rows).
    /// </summary>
    public Task RunAsync(ITargetBlock<SourceChunk> target, IReadOnlyDictionary<int, long>? startOffsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentStreams, CancellationToken = cancellationToken };
        return Parallel.ForEachAsync(
            Enumerable.Range(0, Session.Streams.Count).Where(p => _options.CompletedStreams?.Contains(p) != true),
            parallel,
            (partition, ct) => new ValueTask(ReadStreamAsync(partition, startOffsets?.GetValueOrDefault(partition) ?? 0, target, ct)));
    }

    private async Task ReadStreamAsync(int partition, long offset, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        string stream = Session.Streams[partition];
        int attempt = 0;
        long progressed = _options.TimeProvider.GetTimestamp();
        while (true)
        {
            try
            {
                using AsyncServerStreamingCall<ReadRowsResponse> call = _client.ReadRows(
                    new ReadRowsRequest { ReadStream = stream, Offset = offset }, RoutingHeader("read_stream", stream), cancellationToken: cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    ReadRowsResponse response = call.ResponseStream.Current;
                    if (response.RowCount == 0)
                    {
                        continue;
                    }

                    SourceChunk chunk = Decode(stream, partition, offset, response);

                    if (!await target.SendAsync(chunk, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    // Only rows the target accepted count: a resume asks for the next one.
                    offset += chunk.RowCount;
                    attempt = 0;
                    progressed = _options.TimeProvider.GetTimestamp();
                }

                _ended[partition] = offset;
                return;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                attempt++;
                TimeSpan? delay = ReadErrors.RetryDelay(e, attempt, _options);
                TimeSpan stuck = _options.TimeProvider.GetElapsedTime(progressed);
                if (delay is null || attempt >= _options.MaxReadAttempts || stuck + delay.Value >= _options.RetryDeadline)
                {
                    string why = delay is null
                        ? "permanent error"
                        : CallGaveUpException.Describe("BigQuery ReadRows", stuck, attempt, e.StatusCode, e.Status.Detail).TrimEnd('.') + " (without progress)";
                    if (delay is null && Session.ExpireTime is { } expires && expires <= _options.TimeProvider.GetUtcNow())
                    {
                        why = string.Create(CultureInfo.InvariantCulture, $"the read session expired at {expires:u} (BigQuery keeps read sessions for 6 hours); rows already written stay, a rerun with --restart reads the table again");
                    }

                    throw Failure(stream, offset, delay is null ? $"{why}: {e.StatusCode}: {e.Status.Detail}" : why, e);
                }

                Interlocked.Increment(ref _retries);
                await Task.Delay(delay.Value, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

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
