using System.Buffers;
using Grpc.Core;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>
/// A serialisation target reused across calls, like a gRPC channel's frame buffer: a marshaller writes into it
/// through <see cref="GetBufferWriter"/> (or hands over a whole array) and the bytes stay until <see cref="Reset"/>.
/// Not thread-safe: one call at a time.
/// </summary>
internal sealed class ReusableSerializationContext : SerializationContext
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Reset() => _buffer.ResetWrittenCount();

    public override void SetPayloadLength(int payloadLength)
    {
    }

    public override IBufferWriter<byte> GetBufferWriter() => _buffer;

    public override void Complete()
    {
    }

    public override void Complete(byte[] payload) => _buffer.Write(payload);
}
