using System.Buffers;
using System.Collections.Concurrent;
using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Grpc.Core;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>
/// A Bigtable that costs the client what a real one does on its side of the wire and nothing else: every request is
/// serialised through the method's request marshaller into a reused buffer (as gRPC would frame it), and every
/// MutateRows entry is answered OK with a response deserialised through the method's response marshaller. No network,
/// no server: what remains is the engine's own cost.
/// </summary>
internal sealed class NullBigtableInvoker : CallInvoker
{
    // Request: entries = 2 (length-delimited).
    private const uint EntriesTag = (2 << 3) | 2;

    private readonly ConcurrentBag<ReusableSerializationContext> _buffers = [];
    private readonly ConcurrentDictionary<int, byte[]> _responses = new();
    private long _requests;
    private long _entries;
    private long _bytes;

    /// <summary>MutateRows requests serialised so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Entries (rows) answered so far.</summary>
    public long Entries => Interlocked.Read(ref _entries);

    /// <summary>Request bytes serialised so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.FullName != "/google.bigtable.v2.Bigtable/MutateRows")
        {
            throw new NotSupportedException($"The null sink answers MutateRows only, not {method.FullName}.");
        }

        if (!_buffers.TryTake(out ReusableSerializationContext? context))
        {
            context = new ReusableSerializationContext();
        }

        int entries;
        try
        {
            context.Reset();
            method.RequestMarshaller.ContextualSerializer(request, context);
            entries = CountEntries(context.Written);
            Interlocked.Add(ref _bytes, context.Written.Length);
        }
        finally
        {
            _buffers.Add(context);
        }

        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _entries, entries);
        byte[] encoded = _responses.GetOrAdd(entries, EncodeResponse);
        TResponse response = method.ResponseMarshaller.ContextualDeserializer(new PayloadContext(encoded));
        return new AsyncServerStreamingCall<TResponse>(
            new SingleResponseReader<TResponse>(response),
            Task.FromResult(Metadata.Empty),
            static () => Status.DefaultSuccess,
            static () => Metadata.Empty,
            static () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException("The null sink answers MutateRows only.");

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException("The null sink answers MutateRows only.");

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException("The null sink answers MutateRows only.");

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException("The null sink answers MutateRows only.");

    /// <summary>Walks the request's top-level fields and counts the entries, as the server would.</summary>
    internal static int CountEntries(ReadOnlySpan<byte> request)
    {
        int count = 0;
        int at = 0;
        while (at < request.Length)
        {
            at += ReadVarint(request[at..], out ulong tag);
            switch (tag & 7)
            {
                case 0:
                    at += ReadVarint(request[at..], out _);
                    break;
                case 2:
                    at += ReadVarint(request[at..], out ulong length);
                    at += (int)length;
                    count += tag == EntriesTag ? 1 : 0;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected wire type {tag & 7} at byte {at} of a MutateRows request.");
            }
        }

        if (at != request.Length)
        {
            throw new InvalidDataException($"A MutateRows request of {request.Length} bytes ends inside a field.");
        }

        return count;
    }

    private static int ReadVarint(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        for (int i = 0, shift = 0; i < 10 && i < source.Length; i++, shift += 7)
        {
            value |= (ulong)(source[i] & 0x7F) << shift;
            if (source[i] < 0x80)
            {
                return i + 1;
            }
        }

        throw new InvalidDataException("Malformed varint in a MutateRows request.");
    }

    private static byte[] EncodeResponse(int entries)
    {
        var response = new MutateRowsResponse();
        for (int i = 0; i < entries; i++)
        {
            response.Entries.Add(new MutateRowsResponse.Types.Entry { Index = i, Status = new Google.Rpc.Status { Code = (int)StatusCode.OK } });
        }

        return response.ToByteArray();
    }

    private sealed class PayloadContext(byte[] payload) : DeserializationContext
    {
        public override int PayloadLength => payload.Length;

        public override byte[] PayloadAsNewBuffer() => (byte[])payload.Clone();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(payload);
    }

    private sealed class SingleResponseReader<T>(T response) : IAsyncStreamReader<T>
    {
        private bool _read;

        public T Current { get; private set; } = default!;

        public Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_read)
            {
                return Task.FromResult(false);
            }

            _read = true;
            Current = response;
            return Task.FromResult(true);
        }
    }
}
