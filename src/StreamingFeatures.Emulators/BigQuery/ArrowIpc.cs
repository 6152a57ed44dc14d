using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Google.Cloud.BigQuery.Storage.V1;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// The IPC forms the real service sends: <c>ArrowSchema.serialized_schema</c> is the encapsulated schema message and
/// <c>ArrowRecordBatch.serialized_record_batch</c> the encapsulated record batch message alone (no schema, no
/// end-of-stream marker), so a client reads a batch by feeding schema bytes then batch bytes to a stream reader.
/// </summary>
internal static class ArrowIpc
{
    private static readonly CompressionCodecFactory Codecs = new();

    public static byte[] Schema(Schema schema)
    {
        using var stream = new MemoryStream();
        using var writer = new ArrowStreamWriter(stream, schema, leaveOpen: true);
        writer.WriteStart();
        return stream.ToArray();
    }

    /// <summary>
    /// The batch message, its buffers compressed with <paramref name="codec"/> as the Arrow IPC format's
    /// BodyCompression says: each buffer an 8-byte little-endian uncompressed length then the compressed bytes (an
    /// LZ4 frame, or a ZSTD frame), or length -1 and the bytes as they are where compressing would not make them
    /// smaller. The schema message stays uncompressed, as the real service sends it.
    /// </summary>
    public static byte[] RecordBatch(RecordBatch batch, ArrowSerializationOptions.Types.CompressionCodec codec = ArrowSerializationOptions.Types.CompressionCodec.CompressionUnspecified)
    {
        var options = new IpcOptions();
        if (codec != ArrowSerializationOptions.Types.CompressionCodec.CompressionUnspecified)
        {
            options.CompressionCodecFactory = Codecs;
            options.CompressionCodec = codec == ArrowSerializationOptions.Types.CompressionCodec.Zstd ? CompressionCodecType.Zstd : CompressionCodecType.Lz4Frame;
        }

        using var stream = new MemoryStream();
        using var writer = new ArrowStreamWriter(stream, batch.Schema, leaveOpen: true, options);
        writer.WriteStart();
        int schemaEnd = (int)stream.Position;
        writer.WriteRecordBatch(batch);
        return stream.GetBuffer().AsSpan(schemaEnd, (int)stream.Position - schemaEnd).ToArray();
    }

    /// <summary>True for the codecs <see cref="RecordBatch"/> writes.</summary>
    public static bool Serves(ArrowSerializationOptions.Types.CompressionCodec codec) => codec is
        ArrowSerializationOptions.Types.CompressionCodec.CompressionUnspecified
        or ArrowSerializationOptions.Types.CompressionCodec.Lz4Frame
        or ArrowSerializationOptions.Types.CompressionCodec.Zstd;
}
