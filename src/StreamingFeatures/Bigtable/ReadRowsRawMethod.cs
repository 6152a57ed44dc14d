using System.Buffers;
using Google.Cloud.Bigtable.V2;
using Grpc.Core;

namespace StreamingFeatures.Bigtable;

/// <summary>
/// Bigtable's ReadRows RPC with responses left as protobuf bytes, for readers that parse them in place (full
/// verification reads every row back, and the per-chunk message objects were most of its cost). Same service, method
/// and wire as the generated client.
/// </summary>
internal static class ReadRowsRawMethod
{
    public static readonly Method<ReadRowsRequest, RawResponse> Method = new(
        MethodType.ServerStreaming,
        Google.Cloud.Bigtable.V2.Bigtable.Descriptor.FullName,
        "ReadRows",
        ProtobufMarshaller.For(ReadRowsRequest.Parser),
        Marshallers.Create<RawResponse>(
            (_, _) => throw new NotSupportedException("Responses are only received."),
            context => RawResponse.Copy(context.PayloadAsReadOnlySequence())));

    /// <summary>One ReadRowsResponse as received, in a pooled buffer: dispose it once parsed.</summary>
    public sealed class RawResponse : IDisposable
    {
        private byte[]? _buffer;

        private RawResponse(byte[] buffer, int length)
        {
            _buffer = buffer;
            Length = length;
        }

        public int Length { get; }

        public ReadOnlySpan<byte> Span => _buffer is { } buffer ? buffer.AsSpan(0, Length) : throw new ObjectDisposedException(nameof(RawResponse));

        public static RawResponse Copy(ReadOnlySequence<byte> payload)
        {
            int length = checked((int)payload.Length);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            payload.CopyTo(buffer);
            return new RawResponse(buffer, length);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
