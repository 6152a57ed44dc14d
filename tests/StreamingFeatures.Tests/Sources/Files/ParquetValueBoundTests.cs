using Parquet.Schema;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Tests.Sources.Files;

/// <summary>Parquet string and bytes values over the bound: their rows are dead-lettered, the others sent with exact offsets.</summary>
[TestClass]
public sealed class ParquetValueBoundTests
{
    [TestMethod]
    public async Task RunAsync_ValuesOverMaxValueBytes_RowsDeadLetteredWithColumnLengthAndLimit()
    {
        using var dir = new TempDirectory();
        string big = new('é', 1_000);
        byte[] blob = new byte[3_000];
        await ParquetTestFiles.WriteAsync(dir.File("v.parquet"),
            [new DataField<long>("id"), new DataField<string>("name"), new DataField<byte[]>("blob")], 2,
            (rg, f, g) => rg.WriteAsync<long>(f, g == 0 ? new long[] { 0, 1, 2, 3 } : new long[] { 4, 5 }),
            (rg, f, g) => rg.WriteAsync(f, g == 0 ? new[] { "a", null, big, "d" } : new[] { "e", "f" }),
            (rg, f, g) => rg.WriteAsync(f, g == 0 ? new byte[]?[] { null, [1], null, [2] } : new byte[]?[] { blob, [3] })!);
        var sink = new CollectingDeadLetterSink();

        ParquetFileSource source = await ParquetFileSource.OpenAsync(dir.Path, "*.parquet", new ParquetFileSourceOptions { MaxValueBytes = 1024, ChunkRows = 3 }, sink);
        IList<SourceChunk> chunks = await TempDirectory.RunAsync(source);

        var rows = chunks.SelectMany(c => Enumerable.Range(0, c.RowCount).Select(r => (Offset: c.FirstOffset + r, Id: ((Int64Column)c.Columns[0]).Values[r], Name: c.Columns[1].Describe(r)))).OrderBy(r => r.Offset).ToArray();
        CollectionAssert.AreEqual(new long[] { 0, 1, 3, 5 }, rows.Select(r => r.Offset).ToArray());
        CollectionAssert.AreEqual(new long[] { 0, 1, 3, 5 }, rows.Select(r => r.Id).ToArray(), "offset and row stay together after a rejected row");
        Assert.AreEqual("d", rows[2].Name);
        Assert.AreEqual(2, source.RowsRejected);
        DeadLetter[] letters = [.. sink.Kept.OrderBy(d => d.Offset)];
        Assert.AreEqual((DeadLetterReason.ValueTooLarge, 2L, "name", 2_000L), (letters[0].Reason, letters[0].Offset, letters[0].Field, letters[0].RecordBytes));
        Assert.AreEqual("v.parquet row 2, column 'name': the value is 2000 bytes; the limit is 1024 (max record bytes).", letters[0].Message);
        Assert.AreEqual((4L, "blob", 3_000L), (letters[1].Offset, letters[1].Field, letters[1].RecordBytes));
    }
}
