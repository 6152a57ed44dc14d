using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf;
using Grpc.Core;
using CompressionCodec = Google.Cloud.BigQuery.Storage.V1.ArrowSerializationOptions.Types.CompressionCodec;

namespace StreamingFeatures.IntegrationTests.BigQuery;

/// <summary>
/// Arrow buffer compression as the real service serves it: requested in read_options.arrow_serialization_options,
/// batches whose buffers are LZ4 or ZSTD frames (the schema message stays plain), decoding to the very rows an
/// uncompressed session gives.
/// </summary>
public sealed partial class BigQueryStorageEmulatorTests
{
    [TestMethod]
    [DataRow(CompressionCodec.Lz4Frame)]
    [DataRow(CompressionCodec.Zstd)]
    public async Task ReadRows_BufferCompressionRequested_SameRowsInFewerBytes(CompressionCodec codec)
    {
        ReadSession plain = await CreateSessionAsync("synthetic", maxStreams: 2);
        CreateReadSessionRequest request = SessionRequest("synthetic", 2);
        request.ReadSession.ReadOptions = new ReadSession.Types.TableReadOptions { ArrowSerializationOptions = new ArrowSerializationOptions { BufferCompression = codec } };
        ReadSession compressed = await Client.CreateReadSessionAsync(request, cancellationToken: TestContext.CancellationToken);

        Assert.AreEqual(codec, compressed.ReadOptions.ArrowSerializationOptions.BufferCompression, "the session echoes its read options");
        Assert.AreEqual(plain.ArrowSchema.SerializedSchema, compressed.ArrowSchema.SerializedSchema, "the schema message is never compressed");
        var plainRows = new List<object?[]>();
        var compressedRows = new List<object?[]>();
        List<ReadRowsResponse> plainResponses = await ArrowReads.ReadAsync(Client, plain, plain.Streams[1].Name, 0, plainRows, TestContext.CancellationToken);
        List<ReadRowsResponse> compressedResponses = await ArrowReads.ReadAsync(Client, compressed, compressed.Streams[1].Name, 0, compressedRows, TestContext.CancellationToken);

        Assert.HasCount(Rows / 2, compressedRows);
        for (int i = 0; i < plainRows.Count; i++)
        {
            CollectionAssert.AreEqual(plainRows[i], compressedRows[i], $"row {i} of stream 1");
        }

        long plainBytes = plainResponses.Sum(r => (long)r.ArrowRecordBatch.SerializedRecordBatch.Length);
        long compressedBytes = compressedResponses.Sum(r => (long)r.ArrowRecordBatch.SerializedRecordBatch.Length);
        Assert.IsLessThan(plainBytes, compressedBytes, $"{codec}: {compressedBytes} bytes against {plainBytes} uncompressed");
        ByteString first = compressedResponses[0].ArrowRecordBatch.SerializedRecordBatch;
        Assert.Throws<Exception>(() => ArrowReads.Decode(compressed.ArrowSchema.SerializedSchema, first), "a reader without codecs refuses the batch: it is compressed");
    }

    [TestMethod]
    public async Task ReadRows_Lz4FrameFromOffset_ResumesAtExactlyThatRow()
    {
        CreateReadSessionRequest request = SessionRequest("synthetic", 1);
        request.ReadSession.ReadOptions = new ReadSession.Types.TableReadOptions { ArrowSerializationOptions = new ArrowSerializationOptions { BufferCompression = CompressionCodec.Lz4Frame } };
        ReadSession session = await Client.CreateReadSessionAsync(request, cancellationToken: TestContext.CancellationToken);
        var rows = new List<object?[]>();

        await ArrowReads.ReadAsync(Client, session, session.Streams[0].Name, 12_345, rows, TestContext.CancellationToken);

        Assert.HasCount(Rows - 12_345, rows);
        AssertSourceRow(12_345, rows[0]);
        AssertSourceRow(Rows - 1, rows[^1]);
    }

    [TestMethod]
    public async Task CreateReadSession_UnknownCompressionCodec_FailsInvalidArgumentNamingIt()
    {
        CreateReadSessionRequest request = SessionRequest("synthetic", 1);
        request.ReadSession.ReadOptions = new ReadSession.Types.TableReadOptions { ArrowSerializationOptions = new ArrowSerializationOptions { BufferCompression = (CompressionCodec)7 } };

        RpcException error = await CreateExpectingErrorAsync(request);

        Assert.AreEqual(StatusCode.InvalidArgument, error.StatusCode);
        StringAssert.Contains(error.Status.Detail, "buffer_compression 7");
    }

    [TestMethod]
    public async Task CreateReadSession_FourFeatureTable_EstimatesBigQueryLogicalBytes()
    {
        ReadSession session = await CreateSessionAsync("synthetic", maxStreams: 1);

        // entity_id is 15 characters (2 + 15 bytes), event_time and 4 INT64 features 8 bytes each.
        Assert.AreEqual(Rows * (17L + 8 + (4 * 8)), session.EstimatedTotalBytesScanned);
    }
}
