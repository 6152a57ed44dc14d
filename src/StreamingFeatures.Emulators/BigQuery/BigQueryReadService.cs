using Apache.Arrow;
using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// The BigQueryRead service over the emulator's tables and sessions. CreateReadSession here; ReadRows and
/// SplitReadStream in the partials.
/// </summary>
internal sealed partial class BigQueryReadService(BigQueryStorageEmulator emulator) : BigQueryRead.BigQueryReadBase
{
    public override async Task<ReadSession> CreateReadSession(CreateReadSessionRequest request, ServerCallContext context)
    {
        if (ResourceNames.Project(request.Parent) is null)
        {
            throw EmulatorErrors.InvalidArgument($"parent is '{request.Parent}'; expected projects/PROJECT_ID.");
        }

        ReadSession requested = request.ReadSession ?? throw EmulatorErrors.InvalidArgument("read_session is required.");
        CheckRequest(request, requested);
        Task<EmulatorTable> load = emulator.FindTableAsync(requested.Table)
            ?? throw EmulatorErrors.NotFound($"Not found: Table {ResourceNames.ShortTable(requested.Table)} was not found in location {emulator.Options.Location.ToUpperInvariant()}");
        EmulatorTable table;
        try
        {
            table = await load.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw EmulatorErrors.Internal($"The emulator could not load table {requested.Table}: {e.Message}");
        }

        ReadSession.Types.TableReadOptions readOptions = requested.ReadOptions ?? new();
        int[] columns = SelectColumns(table.SourceSchema, readOptions.SelectedFields);
        RowFilter? filter;
        try
        {
            filter = RowRestrictionParser.Parse(readOptions.RowRestriction, table.SourceSchema);
        }
        catch (FormatException e)
        {
            throw EmulatorErrors.InvalidArgument(e.Message);
        }

        var schema = new Schema([.. columns.Select(table.Schema.GetFieldByIndex)], metadata: null);
        DateTimeOffset now = emulator.Options.TimeProvider.GetUtcNow();
        string name = $"projects/{ResourceNames.Project(request.Parent)}/locations/{emulator.Options.Location}/sessions/{Guid.NewGuid():N}";
        var response = new ReadSession
        {
            Name = name,
            ExpireTime = Timestamp.FromDateTimeOffset(now + emulator.Options.SessionLifetime),
            DataFormat = requested.DataFormat,
            Table = requested.Table,

            // The data never changes, so any snapshot time reads the same rows; an unset one is "now", reported
            // back so a client can pin later sessions to it.
            TableModifiers = new ReadSession.Types.TableModifiers { SnapshotTime = requested.TableModifiers?.SnapshotTime ?? Timestamp.FromDateTimeOffset(now) },
            ReadOptions = readOptions,
            EstimatedRowCount = table.RowCount,
            EstimatedTotalBytesScanned = table.EstimateBytes(columns),
            TraceId = requested.TraceId,
        };
        if (requested.DataFormat == DataFormat.Avro)
        {
            response.AvroSchema = new AvroSchema { Schema = AvroSchemaOf(table, columns, readOptions) };
        }
        else
        {
            response.ArrowSchema = new ArrowSchema { SerializedSchema = ByteString.CopyFrom(ArrowIpc.Schema(schema)) };
        }

        var session = new ReadSessionState(name, table, schema, columns, filter, now + emulator.Options.SessionLifetime, response);
        long rows = table.RowCount;
        int streams = (int)Math.Min(StreamCount(request), rows);
        for (int i = 0; i < streams; i++)
        {
            response.Streams.Add(session.AddStream(rows * i / streams, rows * (i + 1) / streams).ToProto());
        }

        emulator.AddSession(session);
        return response;
    }

    private static void CheckRequest(CreateReadSessionRequest request, ReadSession requested)
    {
        if (!ResourceNames.IsTable(requested.Table))
        {
            throw EmulatorErrors.InvalidArgument($"read_session.table is '{requested.Table}'; expected projects/PROJECT_ID/datasets/DATASET_ID/tables/TABLE_ID.");
        }

        if (requested.DataFormat is not (DataFormat.Arrow or DataFormat.Avro))
        {
            throw EmulatorErrors.InvalidArgument($"data_format {requested.DataFormat} is not supported; use ARROW or AVRO.");
        }

        if (request.MaxStreamCount < 0 || request.PreferredMinStreamCount < 0)
        {
            throw EmulatorErrors.InvalidArgument($"max_stream_count ({request.MaxStreamCount}) and preferred_min_stream_count ({request.PreferredMinStreamCount}) must be non-negative.");
        }

        if (request.MaxStreamCount > 0 && request.PreferredMinStreamCount > request.MaxStreamCount)
        {
            throw EmulatorErrors.InvalidArgument($"max_stream_count ({request.MaxStreamCount}) must be greater than or equal to preferred_min_stream_count ({request.PreferredMinStreamCount}).");
        }

        ReadSession.Types.TableReadOptions? options = requested.ReadOptions;
        if (options?.ArrowSerializationOptions?.BufferCompression is { } codec && !ArrowIpc.Serves(codec))
        {
            throw EmulatorErrors.InvalidArgument($"buffer_compression {codec} is not a known codec; use LZ4_FRAME, ZSTD or COMPRESSION_UNSPECIFIED.");
        }

        // avro_serialization_options: enable_display_name_attribute is served; picos_timestamp_precision applies to
        // TIMESTAMP(12) columns only, which emulator tables never have.
        if (options is not null && (options.HasResponseCompressionCodec || options.HasSamplePercentage))
        {
            throw EmulatorErrors.Unimplemented("The BigQuery Storage emulator does not implement response_compression_codec or sample_percentage.");
        }
    }

    private static string AvroSchemaOf(EmulatorTable table, int[] columns, ReadSession.Types.TableReadOptions options)
    {
        try
        {
            return AvroSchemaJson.For(table.SourceSchema, columns, options.AvroSerializationOptions?.EnableDisplayNameAttribute == true);
        }
        catch (ArgumentException e)
        {
            throw EmulatorErrors.InvalidArgument(e.Message);
        }
    }

    /// <summary>The table ordinals of the selected fields, in table order (as the real service orders them); all when none.</summary>
    private static int[] SelectColumns(SourceSchema schema, IReadOnlyList<string> selected)
    {
        if (selected.Count == 0)
        {
            return [.. Enumerable.Range(0, schema.Fields.Count)];
        }

        var ordinals = new SortedSet<int>();
        foreach (string field in selected)
        {
            int ordinal = RowRestrictionParser.Ordinal(schema, field);
            if (ordinal < 0)
            {
                throw EmulatorErrors.InvalidArgument($"Field {field} in read_options.selected_fields was not found in the table schema.");
            }

            ordinals.Add(ordinal);
        }

        return [.. ordinals];
    }

    private int StreamCount(CreateReadSessionRequest request)
    {
        BigQueryEmulatorOptions options = emulator.Options;
        int count = request.MaxStreamCount > 0 ? request.MaxStreamCount : Math.Max(options.DefaultStreamCount, request.PreferredMinStreamCount);
        return Math.Min(count, options.MaxStreamCount);
    }
}
