using System.Threading.Tasks.Dataflow;
using Grpc.Net.Client;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using CompressionCodec = Google.Cloud.BigQuery.Storage.V1.ArrowSerializationOptions.Types.CompressionCodec;

namespace StreamingFeatures.IntegrationTests.BigQuerySource;

/// <summary>
/// The source asks for LZ4_FRAME Arrow buffers by default and decodes them to exactly the rows an uncompressed session
/// gives, every type with its NULLs and edge values; with <see cref="BigQueryArrowCompression.None"/> it asks for none.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class BigQueryArrowCompressionTests
{
    private static BigQueryStorageEmulator s_emulator = null!;
    private static GrpcChannel s_channel = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        s_emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions { MaxRowsPerResponse = 700 }, context.CancellationToken);
        s_channel = s_emulator.CreateChannel();
        s_emulator.AddTable("p", "d", "types", AllTypesTable.Source(nulls: true, 1_700_000_000_000_000));
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        s_channel.Dispose();
        await s_emulator.DisposeAsync();
    }

    [TestMethod]
    public async Task RunAsync_DefaultLz4Frame_SameRowsAsUncompressed()
    {
        BigQueryStorageSource compressed = await OpenAsync(new BigQuerySourceOptions { Table = "projects/p/datasets/d/tables/types", MaxStreamCount = 2 });
        BigQueryStorageSource plain = await OpenAsync(new BigQuerySourceOptions { Table = "projects/p/datasets/d/tables/types", MaxStreamCount = 2, ArrowCompression = BigQueryArrowCompression.None });

        Assert.AreEqual(CompressionCodec.Lz4Frame, Requested(compressed), "LZ4_FRAME is the default");
        Assert.AreEqual(CompressionCodec.CompressionUnspecified, Requested(plain));
        int rows = (int)compressed.ExpectedRows!.Value;
        ChunkComparison.AssertSameRows(await ReadAllAsync(plain), await ReadAllAsync(compressed), rows);
    }

    private static CompressionCodec Requested(BigQueryStorageSource source) =>
        s_emulator.FindSession(source.Session.Name)!.Response.ReadOptions.ArrowSerializationOptions?.BufferCompression ?? CompressionCodec.CompressionUnspecified;

    private Task<BigQueryStorageSource> OpenAsync(BigQuerySourceOptions options) =>
        BigQueryStorageSource.OpenAsync(s_channel.CreateCallInvoker(), options, TestContext.CancellationToken);

    private async Task<List<SourceChunk>> ReadAllAsync(BigQueryStorageSource source)
    {
        var buffer = new BufferBlock<SourceChunk>();
        await source.RunAsync(buffer, null, TestContext.CancellationToken);
        buffer.Complete();
        return buffer.TryReceiveAll(out IList<SourceChunk>? chunks) ? [.. chunks] : [];
    }
}
