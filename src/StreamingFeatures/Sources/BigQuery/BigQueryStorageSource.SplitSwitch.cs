using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// Switching a reader to a split's primary without serving again what the original call had already received: the
/// rows in flight when a split is made are the primary's head, so they are kept when the primary proves it holds rows
/// past them.
/// </summary>
public sealed partial class BigQueryStorageSource
{
    /// <summary>
    /// The responses <paramref name="call"/> has already received (read without waiting), and its next read: pending,
    /// or done (<c>Ended</c>: the server sent the whole stream).
    /// </summary>
    private static (List<ReadRowsResponse> Ahead, Task<bool> Next, bool Ended) Received(AsyncServerStreamingCall<ReadRowsResponse> call, CancellationToken cancellationToken)
    {
        var ahead = new List<ReadRowsResponse>();
        while (true)
        {
            Task<bool> next = call.ResponseStream.MoveNext(cancellationToken);
            if (!next.IsCompleted)
            {
                return (ahead, next, false);
            }

            // Completed: a failure of the original call surfaces here, before anything is recorded (its read is retried).
            if (!next.GetAwaiter().GetResult())
            {
                return (ahead, next, true);
            }

            ahead.Add(call.ResponseStream.Current);
        }
    }

    /// <summary>
    /// Opens <paramref name="primary"/> at <paramref name="offset"/> and reads its first response with rows: proof that
    /// the split point lies past the offset. Null when it does not (OUT_OF_RANGE: the primary ends before the offset;
    /// no row: it ends there), told to <paramref name="why"/>.
    /// </summary>
    private async Task<(AsyncServerStreamingCall<ReadRowsResponse> Call, ReadRowsResponse First)?> OpenPrimaryAsync(string primary, long offset, Action<string>? why, CancellationToken cancellationToken)
    {
        AsyncServerStreamingCall<ReadRowsResponse> call = _client.ReadRows(
            new ReadRowsRequest { ReadStream = primary, Offset = offset }, RoutingHeader("read_stream", primary), cancellationToken: cancellationToken);
        try
        {
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                if (call.ResponseStream.Current.RowCount > 0)
                {
                    return (call, call.ResponseStream.Current);
                }
            }

            why?.Invoke("the primary holds no row past the offset");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            why?.Invoke($"the primary cannot be read there: {e.StatusCode}: {e.Status.Detail}");
        }
        catch
        {
            call.Dispose();
            throw;
        }

        call.Dispose();
        return null;
    }

    /// <summary>How a reader goes on after a split was tried: on <c>Call</c>, first handing on <c>Queued</c>, then awaiting <c>Pending</c> (if any) before reading on.</summary>
    private sealed record SplitOutcome(string Stream, AsyncServerStreamingCall<ReadRowsResponse> Call, IReadOnlyList<ReadRowsResponse> Queued, Task<bool>? Pending, bool Switched);
}
