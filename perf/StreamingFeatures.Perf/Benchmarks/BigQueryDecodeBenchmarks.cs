using BenchmarkDotNet.Attributes;
using Google.Cloud.BigQuery.Storage.V1;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Perf.Benchmarks;

/// <summary>
/// Decoding one ReadRows response of 1,024 synthetic rows (entity id, event time, 8 int64 features) into column
/// arrays: the Arrow record batch against the same batch with LZ4_FRAME buffer compression and the Avro rows of the
/// same rows, each taken from the built-in emulator's first response of a one-stream session. The setup checks all
/// three decode to the same values.
/// </summary>
[MemoryDiagnoser]
public class BigQueryDecodeBenchmarks
{
    private const string Table = "projects/perf/datasets/bench/tables/decode";

    private ReadRowsResponse _arrow = null!;
    private ReadRowsResponse _lz4 = null!;
    private ReadRowsResponse _avro = null!;
    private IReadRowsDecoder _arrowDecoder = null!;
    private IReadRowsDecoder _avroDecoder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var source = new SyntheticSource(new SyntheticSourceOptions { Rows = BenchmarkData.ChunkRows, Features = BenchmarkData.Features });
        BigQueryStorageEmulator emulator = BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions(), CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            emulator.AddTable("perf", "bench", "decode", source);
            using GrpcChannel channel = emulator.CreateChannel();
            var client = new BigQueryRead.BigQueryReadClient(channel);
            (ReadSession arrowSession, _arrow) = FirstResponse(client, DataFormat.Arrow);
            (_, _lz4) = FirstResponse(client, DataFormat.Arrow, ArrowSerializationOptions.Types.CompressionCodec.Lz4Frame);
            (ReadSession avroSession, _avro) = FirstResponse(client, DataFormat.Avro);
            SourceSchema schema = source.Schema;
            _arrowDecoder = new ArrowBatchDecoder(arrowSession.ArrowSchema.SerializedSchema, schema);
            _avroDecoder = new AvroRowsDecoder(AvroSchemaMapping.Map(avroSession.AvroSchema.Schema, Table));
        }
        finally
        {
            emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        CheckSameValues();

        // The wire sizes beside the times: what the compression buys.
        Console.WriteLine($"// response bytes: Arrow {_arrow.ArrowRecordBatch.SerializedRecordBatch.Length}, LZ4_FRAME {_lz4.ArrowRecordBatch.SerializedRecordBatch.Length}, Avro {_avro.AvroRows.SerializedBinaryRows.Length}");
    }

    [Benchmark(Baseline = true, Description = "Arrow record batch (1,024 rows)")]
    public int Arrow() => _arrowDecoder.Decode(0, 0, _arrow).RowCount;

    [Benchmark(Description = "Arrow record batch, LZ4_FRAME buffers (1,024 rows)")]
    public int ArrowLz4() => _arrowDecoder.Decode(0, 0, _lz4).RowCount;

    [Benchmark(Description = "Avro rows (1,024 rows)")]
    public int Avro() => _avroDecoder.Decode(0, 0, _avro).RowCount;

    private static (ReadSession Session, ReadRowsResponse First) FirstResponse(
        BigQueryRead.BigQueryReadClient client, DataFormat format, ArrowSerializationOptions.Types.CompressionCodec codec = default)
    {
        ReadSession session = client.CreateReadSession(new CreateReadSessionRequest
        {
            Parent = "projects/perf",
            MaxStreamCount = 1,
            ReadSession = new ReadSession
            {
                Table = Table,
                DataFormat = format,
                ReadOptions = new ReadSession.Types.TableReadOptions { ArrowSerializationOptions = new ArrowSerializationOptions { BufferCompression = codec } },
            },
        });
        using AsyncServerStreamingCall<ReadRowsResponse> call = client.ReadRows(new ReadRowsRequest { ReadStream = session.Streams[0].Name });
        if (!call.ResponseStream.MoveNext(CancellationToken.None).GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("The emulator sent no rows.");
        }

        return (session, call.ResponseStream.Current);
    }

    /// <summary>Both decoders must give the same rows, or the Ratio means nothing.</summary>
    private void CheckSameValues()
    {
        SourceChunk arrow = _arrowDecoder.Decode(0, 0, _arrow);
        if (_lz4.ArrowRecordBatch.SerializedRecordBatch.Length >= _arrow.ArrowRecordBatch.SerializedRecordBatch.Length)
        {
            throw new InvalidOperationException("The LZ4_FRAME response is no smaller than the plain one: it is not compressed.");
        }

        foreach ((string name, SourceChunk other) in new[] { ("LZ4_FRAME", _arrowDecoder.Decode(0, 0, _lz4)), ("Avro", _avroDecoder.Decode(0, 0, _avro)) })
        {
            if (arrow.RowCount != BenchmarkData.ChunkRows || other.RowCount != arrow.RowCount)
            {
                throw new InvalidOperationException($"Expected {BenchmarkData.ChunkRows} rows in each response; Arrow {arrow.RowCount}, {name} {other.RowCount}.");
            }

            for (int c = 0; c < arrow.Columns.Count; c++)
            {
                for (int r = 0; r < arrow.RowCount; r++)
                {
                    if (arrow.Columns[c].Describe(r) != other.Columns[c].Describe(r))
                    {
                        throw new InvalidOperationException($"Column {c} row {r}: Arrow {arrow.Columns[c].Describe(r)}, {name} {other.Columns[c].Describe(r)}.");
                    }
                }
            }
        }
    }
}
