using System.Text;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Tests.Sources.Files;

/// <summary>The CSV record reader: its memory bound on a huge line, and how it splits lines and fields.</summary>
[TestClass]
public sealed class CsvRecordReaderTests
{
    [TestMethod]
    public async Task ReadAsync_LineOf256MiB_TooLargeWithLengthAndPrefixWithoutHoldingIt()
    {
        const long huge = 256L << 20;
        const int limit = 4 << 10;
        var stream = new GeneratedLinesStream("id,text\n", ("a,", huge - 2), "\nb,after\n");
        await using var reader = new CsvRecordReader(stream, ',', allowQuotedNewlines: false, maxRecordBytes: limit);

        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual(CsvRecordStatus.TooLarge, reader.Status);
        Assert.AreEqual(huge, reader.RecordBytes);
        Assert.AreEqual((2L, 2L), (reader.FirstLine, reader.LastLine));
        Assert.AreEqual("a,xxxx", Encoding.UTF8.GetString(reader.Prefix(6)));
        Assert.AreEqual(limit, reader.Prefix(int.MaxValue).Length, "the prefix is what the bound let it keep");

        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual(CsvRecordStatus.Ok, reader.Status);
        Assert.AreEqual(3L, reader.FirstLine);
        Assert.AreEqual("after", Encoding.UTF8.GetString(reader.Field(1)));
        Assert.IsFalse(await reader.ReadAsync(CancellationToken.None));

        // The read buffer, the record buffer (at most the limit, rounded up by the pool) and the field positions.
        Assert.IsLessThanOrEqualTo(CsvRecordReader.ReadBufferBytes + (2L * limit) + 1024, reader.PeakBufferBytes);
    }

    [TestMethod]
    public async Task ReadAsync_QuotedLinesSpannedWithinBoundThenOver_TooLargeNamesTheLinesAndResumesAfterFirst()
    {
        string text = "id,text\n1,\"" + string.Join("\n", Enumerable.Repeat(new string('y', 600), 4)) + "\"\n2,ok\n";
        await using var reader = new CsvRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), ',', allowQuotedNewlines: true, maxRecordBytes: 1024);

        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual(CsvRecordStatus.TooLarge, reader.Status);
        Assert.AreEqual((2L, 3L), (reader.FirstLine, reader.LastLine), "stops at the end of the line that crossed the bound");

        reader.ResumeAfterFirstLine();
        var lines = new List<(long, CsvRecordStatus)>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            lines.Add((reader.FirstLine, reader.Status));
        }

        CollectionAssert.AreEqual(new[] { (3L, CsvRecordStatus.Ok), (4L, CsvRecordStatus.Ok), (5L, CsvRecordStatus.Ok), (6L, CsvRecordStatus.Ok) }, lines);
    }

    [TestMethod]
    public async Task ReadAsync_QuotingCrlfBomAndBlankLines_FieldsAsRfc4180()
    {
        byte[] bytes = [.. "\uFEFF"u8, .. "a,b,c\r\n\r\n\"x,\"\"y\"\"\",,\"\"\r\nplain\"quote,2,3\n\n"u8];
        await using var reader = new CsvRecordReader(new MemoryStream(bytes), ',', allowQuotedNewlines: false, maxRecordBytes: 1024);

        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual("a|b|c", Fields(reader));
        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual((3L, CsvRecordStatus.Ok, "x,\"y\"||"), (reader.FirstLine, reader.Status, Fields(reader)));
        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual("plain\"quote|2|3", Fields(reader));
        Assert.IsFalse(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual(2L, reader.BlankLines);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    public async Task ReadAsync_BomSplitAcrossShortReads_SkippedFromTheFirstField(int bytesPerRead)
    {
        byte[] bytes = [.. "\uFEFF"u8, .. "a,b\n1,2\n"u8];
        await using var reader = new CsvRecordReader(new ShortReadStream(new MemoryStream(bytes), [bytesPerRead]), ',', allowQuotedNewlines: false, maxRecordBytes: 1024);

        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual("a|b", Fields(reader));
        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual((2L, "1|2"), (reader.FirstLine, Fields(reader)));
        Assert.IsFalse(await reader.ReadAsync(CancellationToken.None));
    }

    [TestMethod]
    public async Task ReadAsync_ShortFileWithoutBom_ReadWhole()
    {
        await using var reader = new CsvRecordReader(new ShortReadStream(new MemoryStream("a\n"u8.ToArray()), [1]), ',', allowQuotedNewlines: false, maxRecordBytes: 1024);

        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual("a", Fields(reader));
        Assert.IsFalse(await reader.ReadAsync(CancellationToken.None));
    }

    [TestMethod]
    public async Task ReadAsync_TextAfterClosingQuote_Malformed()
    {
        await using var reader = new CsvRecordReader(new MemoryStream("\"a\"b,c\nd,e\n"u8.ToArray()), ',', allowQuotedNewlines: false, maxRecordBytes: 1024);

        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual(CsvRecordStatus.TextAfterQuote, reader.Status);
        Assert.IsTrue(await reader.ReadAsync(CancellationToken.None));
        Assert.AreEqual((2L, "d|e"), (reader.FirstLine, Fields(reader)));
    }

    private static string Fields(CsvRecordReader reader) =>
        string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Encoding.UTF8.GetString(reader.Field(i))));

    /// <summary>A head, <c>Count</c> bytes of <c>x</c> after a start text, and a tail, made while read: nothing that size is ever in memory.</summary>
    private sealed class GeneratedLinesStream(string head, (string Start, long Count) body, string tail) : Stream
    {
        private readonly byte[] _head = Encoding.UTF8.GetBytes(head + body.Start);
        private readonly byte[] _tail = Encoding.UTF8.GetBytes(tail);
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _head.Length + body.Count + _tail.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int written = 0;
            while (written < buffer.Length && _position < Length)
            {
                long at = _position;
                Span<byte> rest = buffer[written..];
                int n;
                if (at < _head.Length)
                {
                    n = Math.Min(rest.Length, _head.Length - (int)at);
                    _head.AsSpan((int)at, n).CopyTo(rest);
                }
                else if (at < _head.Length + body.Count)
                {
                    n = (int)Math.Min(rest.Length, _head.Length + body.Count - at);
                    rest[..n].Fill((byte)'x');
                }
                else
                {
                    int t = (int)(at - _head.Length - body.Count);
                    n = Math.Min(rest.Length, _tail.Length - t);
                    _tail.AsSpan(t, n).CopyTo(rest);
                }

                written += n;
                _position += n;
            }

            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
