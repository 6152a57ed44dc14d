using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// The IPC forms the real service sends: <c>ArrowSchema.serialized_schema</c> is the encapsulated schema message and
/// <c>ArrowRecordBatch.serialized_record_batch</c> the encapsulated record batch message alone (no schema, no
/// end-of-stream marker), so a client reads a batch by feeding schema bytes then batch bytes to a stream reader.
/// </summary>
internal static class ArrowIpc
{
    public static byte[] Schema(Schema schema)
    {
        using var stream = new MemoryStream();
        using var writer = new ArrowStreamWriter(stream, schema, leaveOpen: true);
        writer.WriteStart();
        return stream.ToArray();
    }

    public static byte[] RecordBatch(RecordBatch batch)
    {
        using var stream = new MemoryStream();
        using var writer = new ArrowStreamWriter(stream, batch.Schema, leaveOpen: true);
        writer.WriteStart();
        int schemaEnd = (int)stream.Position;
        writer.WriteRecordBatch(batch);
        return stream.GetBuffer().AsSpan(schemaEnd, (int)stream.Position - schemaEnd).ToArray();
    }
}
