using Apache.Arrow;
using Apache.Arrow.Ipc;
using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Perf.Migrate;

/// <summary>
/// The floor of reading a session: the generated BigQueryRead client creates a session like the migration's (same
/// table, selected fields and stream count, Arrow), reads every stream with as many in flight as the migration, and
/// Apache.Arrow decodes each record batch (schema message prepended, as Google's samples do); rows are only counted.
/// </summary>
internal static class BareArrowRead
{
    public static async Task<long> RunAsync(GrpcChannel channel, string table, int features, int concurrentStreams)
    {
        var client = new BigQueryRead.BigQueryReadClient(channel);
        var readOptions = new ReadSession.Types.TableReadOptions();
        readOptions.SelectedFields.Add(SyntheticSource.EntityColumn);
        readOptions.SelectedFields.Add(SyntheticSource.EventTimeColumn);
        readOptions.SelectedFields.AddRange(Enumerable.Range(0, features).Select(SyntheticSource.FeatureName));
        ReadSession session = await client.CreateReadSessionAsync(new CreateReadSessionRequest
        {
            Parent = "projects/" + BigQueryServer.Project,
            ReadSession = new ReadSession { Table = table, DataFormat = DataFormat.Arrow, ReadOptions = readOptions },
        }).ConfigureAwait(false);
        byte[] schema = session.ArrowSchema.SerializedSchema.ToByteArray();
        long rows = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrentStreams };
        await Parallel.ForEachAsync(session.Streams, parallel, async (stream, ct) =>
        {
            long counted = 0;
            using AsyncServerStreamingCall<ReadRowsResponse> call = client.ReadRows(new ReadRowsRequest { ReadStream = stream.Name }, cancellationToken: ct);
            while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
            {
                ReadRowsResponse response = call.ResponseStream.Current;
                if (response.ArrowRecordBatch is not { } batch)
                {
                    continue;
                }

                byte[] message = new byte[schema.Length + batch.SerializedRecordBatch.Length];
                schema.CopyTo(message, 0);
                batch.SerializedRecordBatch.Span.CopyTo(message.AsSpan(schema.Length));
                using var reader = new ArrowStreamReader(new ReadOnlyMemory<byte>(message));
                using RecordBatch decoded = reader.ReadNextRecordBatch() ?? throw new InvalidDataException($"A response of {stream.Name} holds no record batch.");
                counted += decoded.Length;
            }

            Interlocked.Add(ref rows, counted);
        }).ConfigureAwait(false);
        return rows;
    }
}
