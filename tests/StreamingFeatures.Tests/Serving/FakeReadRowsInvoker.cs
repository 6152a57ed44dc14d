using System.Collections.Concurrent;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;

namespace StreamingFeatures.Tests.Serving;

/// <summary>
/// A Bigtable whose ReadRows answers each requested key it holds with that row's cells, labelled as the value branch
/// of the reader's filter (the filter itself is the emulator's job, tested there). Records every request; can break a
/// stream once after some rows, or hang until cancelled.
/// </summary>
internal sealed class FakeReadRowsInvoker : CallInvoker
{
    private int _breaks;

    /// <summary>Rows by key: per cell (family, qualifier, timestamp, value).</summary>
    public Dictionary<string, (string Family, string Qualifier, long Micros, byte[] Value)[]> Rows { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<ReadRowsRequest> Requests { get; } = new();

    /// <summary>The first call breaks with <see cref="BreakStatus"/> after sending this many rows.</summary>
    public int? BreakAfterRows { get; set; }

    /// <summary>How the first call breaks: UNAVAILABLE by default.</summary>
    public StatusCode BreakStatus { get; set; } = StatusCode.Unavailable;

    /// <summary>Every call waits for its cancellation (a server that never answers).</summary>
    public bool Hang { get; set; }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var read = (ReadRowsRequest)(object)request;
        Requests.Enqueue(read);
        var responses = new List<ReadRowsResponse>();
        foreach (ByteString key in read.Rows.RowKeys)
        {
            if (Rows.TryGetValue(key.ToStringUtf8(), out var cells))
            {
                var response = new ReadRowsResponse();
                for (int i = 0; i < cells.Length; i++)
                {
                    var chunk = new ReadRowsResponse.Types.CellChunk
                    {
                        RowKey = i == 0 ? key : ByteString.Empty,
                        FamilyName = cells[i].Family,
                        Qualifier = ByteString.CopyFromUtf8(cells[i].Qualifier),
                        TimestampMicros = cells[i].Micros,
                        Value = ByteString.CopyFrom(cells[i].Value),
                        CommitRow = i == cells.Length - 1,
                    };
                    chunk.Labels.Add("v");
                    response.Chunks.Add(chunk);
                }

                responses.Add(response);
            }
        }

        int? breakAfter = BreakAfterRows is { } n && Interlocked.Exchange(ref _breaks, 1) == 0 ? n : null;
        var reader = new Reader<TResponse>([.. responses.Cast<TResponse>()], breakAfter, BreakStatus, Hang, options.CancellationToken);
        return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

    private sealed class Reader<T>(T[] responses, int? breakAfter, StatusCode breakStatus, bool hang, CancellationToken callCancellation) : IAsyncStreamReader<T>
    {
        private int _next;

        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (hang)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callCancellation);
                try
                {
                    await Task.Delay(Timeout.Infinite, linked.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new RpcException(new Status(StatusCode.Cancelled, "Call cancelled."));
                }
            }

            if (_next == breakAfter)
            {
                throw new RpcException(new Status(breakStatus, "connection reset"));
            }

            if (_next >= responses.Length)
            {
                return false;
            }

            Current = responses[_next++];
            return true;
        }
    }
}
