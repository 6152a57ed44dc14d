using System.Text;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Tests.Sources.Files;

/// <summary>Broken CSV lines: each is dead-lettered with file, lines and reason, and the lines after it are still read.</summary>
[TestClass]
public sealed class CsvMalformedRecordTests
{
    private static readonly SourceSchema Schema = new([new SourceField("id", ColumnType.String), new SourceField("n", ColumnType.Int64)]);

    [TestMethod]
    public async Task RunAsync_UnbalancedQuote_OnlyItsLineDeadLetteredAndTheRowsAfterItWritten()
    {
        (string[] ids, DeadLetter[] letters) = await RunAsync("id,n\nk0,0\n\"k1,1\nk2,2\nk3,3\n");

        CollectionAssert.AreEqual(new[] { "k0", "k2", "k3" }, ids);
        DeadLetter letter = letters.Single();
        Assert.AreEqual(DeadLetterReason.UnclosedQuote, letter.Reason);
        Assert.AreEqual(("d.csv", 3L, 3L, 1L, "\"k1,1", 5L), (letter.File, letter.FirstLine, letter.LastLine, letter.Offset, letter.Record, letter.RecordBytes));
        StringAssert.StartsWith(letter.Message, "d.csv line 3: a quoted field does not close (quoted fields may not span lines unless quoted newlines are allowed).");
    }

    [TestMethod]
    public async Task RunAsync_TwoStrayQuotesLinesApart_NoRecordSwallowsTheRowsBetween()
    {
        (string[] ids, DeadLetter[] letters) = await RunAsync("id,n\nk0,\"0\nk1,1\nk2,2\nk3\",3\nk4,4\n");

        CollectionAssert.AreEqual(new[] { "k1", "k2", "k3\"", "k4" }, ids, "a quote inside an unquoted field is text");
        Assert.AreEqual(2L, letters.Single().FirstLine);
    }

    [TestMethod]
    public async Task RunAsync_QuotedNewlinesAllowedFileEndsInsideQuotes_DeadLetterSpansTheLinesAndReadingResumesAfterFirst()
    {
        (string[] ids, DeadLetter[] letters) = await RunAsync("id,n\n\"k0\nstill k0\",0\nk1,\"1\nk2,2\nk3,3", allowQuotedNewlines: true);

        CollectionAssert.AreEqual(new[] { "k0\nstill k0", "k2", "k3" }, ids);
        DeadLetter letter = letters.Single();
        Assert.AreEqual((DeadLetterReason.UnclosedQuote, 4L, 6L), (letter.Reason, letter.FirstLine, letter.LastLine));
        StringAssert.StartsWith(letter.Message, "d.csv lines 4–6: a quoted field does not close.");
    }

    [TestMethod]
    public async Task RunAsync_ExtraAndMissingFields_DeadLetteredNotTrimmed()
    {
        (string[] ids, DeadLetter[] letters) = await RunAsync("id,n\nk0,0,surplus\nk1\nk2,2\n");

        CollectionAssert.AreEqual(new[] { "k2" }, ids);
        CollectionAssert.AreEqual(new[] { DeadLetterReason.ExtraFields, DeadLetterReason.MissingFields }, letters.Select(d => d.Reason).ToArray());
        Assert.AreEqual("d.csv line 2: the record has 3 fields; the header has 2.", letters[0].Message);
    }

    [TestMethod]
    public async Task RunAsync_RecordOverMaxRecordBytes_DeadLetterKeepsPrefixAndLength()
    {
        string big = new('z', 5_000);
        (string[] ids, DeadLetter[] letters) = await RunAsync($"id,n\n{big},1\nk1,1\n", maxRecordBytes: 1024);

        CollectionAssert.AreEqual(new[] { "k1" }, ids);
        DeadLetter letter = letters.Single();
        Assert.AreEqual((DeadLetterReason.RecordTooLarge, 5_002L, 1024), (letter.Reason, letter.RecordBytes, letter.Record!.Length));
        Assert.AreEqual("d.csv line 2: the record is 5002 bytes; the limit is 1024 (max record bytes).", letter.Message);
    }

    [TestMethod]
    public void Validate_MaxRecordBytesOutOfRange_NamesSettingValueAndRange()
    {
        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(() => new CsvFileSourceOptions { MaxRecordBytes = 200 << 20 }.Validate());

        StringAssert.Contains(error.Message, "MaxRecordBytes");
        StringAssert.Contains(error.Message, "209715200");
        StringAssert.Contains(error.Message, "104857600");
    }

    [TestMethod]
    public async Task RunAsync_StringNotUtf8_RowDeadLetteredAsBadValueNamingTheColumn()
    {
        byte[] text = [.. "id,n\nk0,0\n"u8, 0xFF, 0xFE, .. "k1,1\nk2,2\n"u8];

        (string[] ids, DeadLetter[] letters) = await RunAsync(text);

        CollectionAssert.AreEqual(new[] { "k0", "k2" }, ids);
        DeadLetter letter = letters.Single();
        Assert.AreEqual((DeadLetterReason.BadValue, "id", 3L), (letter.Reason, letter.Field, letter.FirstLine));
        StringAssert.Contains(letter.Message, "is not String (valid UTF-8 text)");
    }

    private static Task<(string[] Ids, DeadLetter[] Letters)> RunAsync(string text, bool allowQuotedNewlines = false, int? maxRecordBytes = null) =>
        RunAsync(Encoding.UTF8.GetBytes(text), allowQuotedNewlines, maxRecordBytes);

    private static async Task<(string[] Ids, DeadLetter[] Letters)> RunAsync(byte[] text, bool allowQuotedNewlines = false, int? maxRecordBytes = null)
    {
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(dir.File("d.csv"), text);
        var sink = new CollectingDeadLetterSink();
        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "d.csv", new CsvFileSourceOptions { Schema = Schema, AllowQuotedNewlines = allowQuotedNewlines, MaxRecordBytes = maxRecordBytes ?? FileSourceLimits.MaxRecordBytes.Default }, sink);
        IList<SourceChunk> chunks = await TempDirectory.RunAsync(source);
        string[] ids = [.. chunks.OrderBy(c => c.FirstOffset).SelectMany(c => Enumerable.Range(0, c.RowCount).Select(r => Encoding.UTF8.GetString(((BinaryColumn)c.Columns[0]).Get(r))))];
        return (ids, [.. sink.Kept.OrderBy(d => d.Offset)]);
    }
}
