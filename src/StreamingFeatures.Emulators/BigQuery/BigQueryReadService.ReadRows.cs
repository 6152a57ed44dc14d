using Apache.Arrow;
using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf;
using Grpc.Core;

namespace StreamingFeatures.Emulators.BigQuery;

internal sealed partial class BigQueryReadService
{
    public override async Task ReadRows(ReadRowsRequest request, IServerStreamWriter<ReadRowsResponse> responseStream, ServerCallContext context)
    {
        emulator.CountReadRowsCall();
        StreamRange stream = Resolve(request.ReadStream, "read_stream");
        ReadSessionState session = stream.Session;
        string table = session.Table.Name;
        if (emulator.Faults.TakeRefusal(table, stream.Number) is { } refusal)
        {
            throw EmulatorErrors.ResourceExhausted(
                $"Injected fault: ReadRows on {stream.Name} refused (resource exhausted); retry after {refusal.RetryDelay}.", refusal.RetryDelay);
        }

        long total = stream.RowCount;
        if (request.Offset < 0)
        {
            throw EmulatorErrors.InvalidArgument($"offset is {request.Offset}; it must be non-negative.");
        }

        if (request.Offset > total)
        {
            throw EmulatorErrors.OutOfRange($"offset {request.Offset} is beyond the end of stream {stream.Name}, which has {total} rows.");
        }

        // A break fault is used up only when the call reaches it (see BigQueryReadFault).
        long breakAt = emulator.Faults.PeekBreak(table, stream.Number)?.AfterRows ?? long.MaxValue;
        long position = request.Offset;
        long sent = 0;
        bool firstResponse = true;
        while (position < total)
        {
            // As the real service ends reads of a session past its life, mid-stream too.
            if (emulator.Options.TimeProvider.GetUtcNow() >= session.ExpireTime)
            {
                throw EmulatorErrors.FailedPrecondition($"The read session {session.Name} expired at {session.ExpireTime:O}; create a new session.");
            }

            if (sent == breakAt && emulator.Faults.TakeBreak(table, stream.Number, breakAt) is { } fault)
            {
                Break(fault, stream, sent, context);
                return;
            }

            int count = (int)Math.Min(Math.Min(total - position, emulator.Options.MaxRowsPerResponse), breakAt > sent ? breakAt - sent : long.MaxValue);
            ReadRowsResponse response = BuildResponse(stream, position, count, total);
            if (firstResponse)
            {
                // As the real service does, only the first response of a call carries the schema.
                if (session.Response.DataFormat == DataFormat.Avro)
                {
                    response.AvroSchema = session.Response.AvroSchema;
                }
                else
                {
                    response.ArrowSchema = session.Response.ArrowSchema;
                }

                firstResponse = false;
            }

            if (emulator.Options.RowsPerSecond > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)response.RowCount / emulator.Options.RowsPerSecond), emulator.Options.TimeProvider, context.CancellationToken).ConfigureAwait(false);
            }

            await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
            session.CountServed(stream.Number, response.RowCount);
            position += response.RowCount;
            sent += response.RowCount;
        }
    }

    private ReadRowsResponse BuildResponse(StreamRange stream, long position, int count, long total)
    {
        ReadSessionState session = stream.Session;
        ArrowGather.Located located = ArrowGather.Locate(session.Table, stream.TableRows(position, count));

        // Trim to the byte budget, keeping at least one row.
        int fits = ArrowGather.Fit(located, session.Columns, emulator.Options.MaxResponseBytes);
        RecordBatch batch = ArrowGather.Build(session.Schema, session.Columns, located, fits);
        var response = new ReadRowsResponse
        {
            RowCount = fits,
            Stats = new StreamStats
            {
                Progress = new StreamStats.Types.Progress
                {
                    AtResponseStart = (double)position / total,
                    AtResponseEnd = (double)(position + fits) / total,
                },
            },
        };

#pragma warning disable CS0612 // Deprecated in favour of ReadRowsResponse.row_count; the real service still fills it for older clients.
        if (session.Response.DataFormat == DataFormat.Avro)
        {
            response.AvroRows = new AvroRows { SerializedBinaryRows = UnsafeByteOperations.UnsafeWrap(EncodeAvro(batch, stream)), RowCount = fits };
        }
        else
        {
            response.ArrowRecordBatch = new ArrowRecordBatch { SerializedRecordBatch = UnsafeByteOperations.UnsafeWrap(ArrowIpc.RecordBatch(batch, session.Response.ReadOptions.ArrowSerializationOptions?.BufferCompression ?? default)), RowCount = fits };
        }
#pragma warning restore CS0612

        return response;
    }

    private static byte[] EncodeAvro(RecordBatch batch, StreamRange stream)
    {
        try
        {
            return AvroRowsEncoder.Encode(batch);
        }
        catch (InvalidOperationException e)
        {
            throw EmulatorErrors.Internal($"The emulator cannot encode rows of {stream.Name} in Avro: {e.Message}");
        }
    }

    private static void Break(BigQueryReadFault fault, StreamRange stream, long sent, ServerCallContext context)
    {
        if (fault.Kind == BigQueryFaultKind.Unavailable)
        {
            throw EmulatorErrors.Unavailable($"Injected fault: stream {stream.Name} broken after {sent} rows of this call.");
        }

        // RST_STREAM on this call's HTTP/2 stream: the client gets no status, as when a connection drops mid-read.
        context.GetHttpContext().Abort();
    }

    /// <summary>The stream named <paramref name="name"/>: NOT_FOUND when unknown, FAILED_PRECONDITION once its session expired.</summary>
    private StreamRange Resolve(string name, string field)
    {
        if (!ResourceNames.TryParseStream(name, out string sessionName, out int number))
        {
            throw EmulatorErrors.InvalidArgument($"{field} is '{name}'; expected projects/PROJECT_ID/locations/LOCATION/sessions/SESSION_ID/streams/STREAM_ID.");
        }

        ReadSessionState session = emulator.FindSession(sessionName)
            ?? throw EmulatorErrors.NotFound($"Not found: read session {sessionName} (stream {name}).");
        DateTimeOffset now = emulator.Options.TimeProvider.GetUtcNow();
        if (now >= session.ExpireTime)
        {
            throw EmulatorErrors.FailedPrecondition($"The read session {sessionName} expired at {session.ExpireTime:O}; create a new session.");
        }

        return session.Stream(number) ?? throw EmulatorErrors.NotFound($"Not found: stream {name}.");
    }
}
