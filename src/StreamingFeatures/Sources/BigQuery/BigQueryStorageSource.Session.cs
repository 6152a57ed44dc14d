using Apache.Arrow.Ipc;
using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>The CreateReadSession request, and the session's schema in the format it was created in.</summary>
public sealed partial class BigQueryStorageSource
{
    private static CreateReadSessionRequest SessionRequest(BigQuerySourceOptions options)
    {
        var readOptions = new ReadSession.Types.TableReadOptions();
        if (options.SelectedFields is { } selected)
        {
            readOptions.SelectedFields.AddRange(selected);
        }

        if (!string.IsNullOrWhiteSpace(options.RowRestriction))
        {
            readOptions.RowRestriction = options.RowRestriction;
        }

        if (options.DataFormat == BigQueryDataFormat.Avro)
        {
            // Column names Avro cannot spell (BigQuery's flexible names: dashes, spaces, any script) would fail the
            // session; with this each field carries the column's own name as displayName.
            readOptions.AvroSerializationOptions = new AvroSerializationOptions { EnableDisplayNameAttribute = true };
        }
        else if (options.ArrowCompression == BigQueryArrowCompression.Lz4Frame)
        {
            readOptions.ArrowSerializationOptions = new ArrowSerializationOptions { BufferCompression = ArrowSerializationOptions.Types.CompressionCodec.Lz4Frame };
        }

        return new CreateReadSessionRequest
        {
            Parent = "projects/" + options.EffectiveBillingProject,
            MaxStreamCount = options.MaxStreamCount,

            // The service may give fewer streams than the maximum: at least one a shard, or a shard reads nothing.
            PreferredMinStreamCount = options.ShardCount > 1 ? Math.Min(options.ShardCount, options.MaxStreamCount == 0 ? options.ShardCount : options.MaxStreamCount) : 0,
            ReadSession = new ReadSession
            {
                Table = options.Table,
                DataFormat = options.DataFormat == BigQueryDataFormat.Avro ? Google.Cloud.BigQuery.Storage.V1.DataFormat.Avro : Google.Cloud.BigQuery.Storage.V1.DataFormat.Arrow,
                ReadOptions = readOptions,
                TableModifiers = options.SnapshotTime is { } snapshot
                    ? new ReadSession.Types.TableModifiers { SnapshotTime = Timestamp.FromDateTimeOffset(snapshot) }
                    : null,
            },
        };
    }

    private static SessionSchema ArrowSession(ByteString? arrowSchema, string table)
    {
        if (arrowSchema is null || arrowSchema.IsEmpty)
        {
            throw new BigQuerySourceException($"The read session for {table} carries no Arrow schema.");
        }

        using var reader = new ArrowStreamReader(arrowSchema.Memory);
        SourceSchema schema = ArrowSchemaMapping.Map(reader.Schema, table);
        return new SessionSchema(BigQueryDataFormat.Arrow, arrowSchema, null, schema, new ArrowBatchDecoder(arrowSchema, schema));
    }

    private static SessionSchema AvroSession(string? avroSchema, string table)
    {
        if (string.IsNullOrWhiteSpace(avroSchema))
        {
            throw new BigQuerySourceException($"The read session for {table} carries no Avro schema.");
        }

        AvroSessionSchema mapped = AvroSchemaMapping.Map(avroSchema, table);
        return new SessionSchema(BigQueryDataFormat.Avro, ByteString.Empty, avroSchema, mapped.Schema, new AvroRowsDecoder(mapped));
    }

    private sealed record SessionSchema(BigQueryDataFormat Format, ByteString Arrow, string? Avro, SourceSchema Schema, IReadRowsDecoder Decoder);
}
