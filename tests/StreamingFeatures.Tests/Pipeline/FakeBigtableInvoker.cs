using System.Collections.Concurrent;
using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using StreamingFeatures.Bigtable;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>
/// A Bigtable that lives in memory: every MutateRows call answers OK for all its entries, after an optional gate
/// (a stuck server) — enough to test the graph's bounds and shutdown without a network.
/// </summary>
internal sealed class FakeBigtableInvoker : CallInvoker
{
    private long _rows;
    private long _calls;

    /// <summary>While set, calls wait for it (or for their cancellation).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, every request received, decoded, for tests that check what was written.</summary>
    public ConcurrentBag<MutateRowsRequest>? Requests { get; init; }

    public long RowsAcknowledged => Interlocked.Read(ref _rows);

    public long Calls => Interlocked.Read(ref _calls);

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Interlocked.Increment(ref _calls);
        var payload = (MutateRowsPayload)(object)request;
        Requests?.Add(MutateRowsMethod.ToMessage(payload));
        var reader = new Reader<TResponse>(async cancellationToken =>
        {
            if (Gate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            var response = new MutateRowsResponse();
            for (int i = 0; i < payload.Indexes.Count; i++)
            {
                response.Entries.Add(new MutateRowsResponse.Types.Entry { Index = i, Status = new Google.Rpc.Status() });
            }

            Interlocked.Add(ref _rows, payload.Indexes.Count);
            return (TResponse)(object)response;
        }, options.CancellationToken);
        return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

    private sealed class Reader<T>(Func<CancellationToken, Task<T>> answer, CancellationToken callCancellation) : IAsyncStreamReader<T>
    {
        private bool _done;

        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (_done)
            {
                return false;
            }

            _done = true;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callCancellation);
            try
            {
                Current = await answer(linked.Token);
            }
            catch (OperationCanceledException)
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "Call cancelled."));
            }

            return true;
        }
    }
}
