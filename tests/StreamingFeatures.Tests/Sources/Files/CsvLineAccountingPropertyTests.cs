using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Tests.Sources.Files;

/// <summary>
/// Generated CSV files (random quoting, doubled quotes, separators and line breaks inside quotes, LF or CRLF) with
/// corruption injected (stray quotes, extra and missing fields, text after a closing quote, over-long records) and
/// quotes inside unquoted fields (text, which a stray quote lines above must not pair with), read
/// through <see cref="CsvFileSource"/>. Every physical line begins with a marker <c>#LINE;</c>, inside a field's
/// value, so a written row tells which lines it holds. For each file: every data line is in a written row or a
/// dead letter, every offset is written or dead-lettered exactly once, each corrupted row is dead-lettered at its
/// first line, and every well-formed row is written with its exact values.
/// </summary>
[TestClass]
public sealed partial class CsvLineAccountingPropertyTests
{
    private const int MaxRecordBytes = 1024;

    private static readonly Gen<string> Word = Gen.Int['a', 'z'].Array[1, 6].Select(cs => new string([.. cs.Select(c => (char)c)]));

    // Kind: 0 empty, 1 plain, 2-3 quoted (joins between words: space, doubled quote, separator, LF, CRLF), 4 "".
    private static readonly Gen<FieldSpec> Field = Gen.Select(Gen.Int[0, 4], Word.Array[4], Gen.Int[0, 4].Array[0, 3], (kind, words, joins) => new FieldSpec(kind, words, joins));

    private static readonly Gen<RowSpec> Row = Gen.Select(Gen.Int[0, 99], Word, Field.Array[4], (corruption, first, fields) => new RowSpec(corruption < 75 ? 0 : (corruption % 7) + 1, first, fields));

    private static readonly Gen<FileSpec> Files = Gen.Select(Gen.Int[2, 5], Gen.Bool, Gen.Bool, Gen.Int[1, 5], Row.Array[1, 30], (columns, crlf, finalBreak, chunkRows, rows) => new FileSpec(columns, crlf, finalBreak, chunkRows, rows));

    // Files with or without a byte order mark, read 1 to 7 bytes at a time: every line break (the \r and \n of a CRLF
    // too), quote, BOM byte and resume point falls across reads, which the 64 KiB read buffer never shows on files
    // this small.
    private static readonly Gen<(FileSpec Spec, bool Bom, int[] ReadLengths)> ShortReads = Gen.Select(Files, Gen.Bool, Gen.Int[1, 7].Array[1, 16]);

    [TestMethod]
    public async Task RunAsync_GeneratedFilesDefaultOptions_EveryLineAccountedAndEveryWellFormedLineWritten()
    {
        await Files.SampleAsync(spec => CheckAsync(spec, allowQuotedNewlines: false), iter: 300, threads: 1, print: spec => Render(spec, false).Text);
    }

    [TestMethod]
    public async Task RunAsync_GeneratedFilesQuotedNewlinesAllowed_EveryLineAccountedAndEveryWellFormedRowWritten()
    {
        await Files.SampleAsync(spec => CheckAsync(spec, allowQuotedNewlines: true), iter: 300, threads: 1, print: spec => Render(spec, true).Text);
    }

    [TestMethod]
    public async Task RunAsync_GeneratedFilesReadFewBytesAtATime_EveryLineAccountedAndEveryWellFormedLineWritten()
    {
        await ShortReads.SampleAsync(t => CheckAsync(t.Spec, allowQuotedNewlines: false, t.Bom, t.ReadLengths), iter: 300, threads: 1, print: t => $"bom={t.Bom} reads={string.Join(",", t.ReadLengths)}\n{Render(t.Spec, false).Text}");
    }

    [TestMethod]
    public async Task RunAsync_GeneratedFilesQuotedNewlinesReadFewBytesAtATime_EveryLineAccountedAndEveryWellFormedRowWritten()
    {
        await ShortReads.SampleAsync(t => CheckAsync(t.Spec, allowQuotedNewlines: true, t.Bom, t.ReadLengths), iter: 300, threads: 1, print: t => $"bom={t.Bom} reads={string.Join(",", t.ReadLengths)}\n{Render(t.Spec, true).Text}");
    }

    private static async Task CheckAsync(FileSpec spec, bool allowQuotedNewlines, bool bom = false, int[]? readLengths = null)
    {
        Rendered file = Render(spec, allowQuotedNewlines);
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("g.csv"), file.Text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: bom));
        var sink = new CollectingDeadLetterSink();
        var schema = new SourceSchema([.. Enumerable.Range(0, spec.Columns).Select(c => new SourceField($"c{c}", ColumnType.String))]);
        var options = new CsvFileSourceOptions
        {
            Schema = schema,
            AllowQuotedNewlines = allowQuotedNewlines,
            MaxRecordBytes = MaxRecordBytes,
            ChunkRows = spec.ChunkRows,
            ReadThrough = readLengths is null ? null : stream => new ShortReadStream(stream, readLengths),
        };

        CsvFileSource source = await CsvFileSource.OpenAsync(dir.Path, "g.csv", options, sink);
        IList<SourceChunk> chunks = await TempDirectory.RunAsync(source);

        var written = new List<(long Offset, string?[] Values)>();
        foreach (SourceChunk chunk in chunks)
        {
            for (int r = 0; r < chunk.RowCount; r++)
            {
                written.Add((chunk.FirstOffset + r, [.. chunk.Columns.Select(c => c.IsNull(r) ? null : Encoding.UTF8.GetString(((BinaryColumn)c).Get(r)))]));
            }
        }

        DeadLetter[] letters = [.. sink.Kept];
        Assert.AreEqual(0L, source.BlankLines, "no empty line is generated");

        // Every data line is in a written row or a dead letter.
        var covered = new HashSet<long>();
        foreach ((_, string?[] values) in written)
        {
            foreach (Match marker in values.SelectMany(v => Marker().Matches(v ?? string.Empty)))
            {
                covered.Add(long.Parse(marker.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        foreach (DeadLetter letter in letters)
        {
            Assert.IsTrue(letter.FirstLine >= 2 && letter.LastLine >= letter.FirstLine && letter.LastLine <= file.LastLine, $"lines {letter.FirstLine}-{letter.LastLine} of {file.LastLine}");
            Assert.AreEqual("g.csv", letter.File);
            for (long line = letter.FirstLine!.Value; line <= letter.LastLine; line++)
            {
                covered.Add(line);
            }
        }

        long[] lost = [.. Enumerable.Range(2, (int)file.LastLine - 1).Select(l => (long)l).Where(l => !covered.Contains(l))];
        Assert.IsEmpty(lost, $"lines neither written nor dead-lettered: {string.Join(", ", lost)}");

        // Every offset once: the checkpoint can advance over all of them.
        long[] offsets = [.. written.Select(w => w.Offset).Concat(letters.Select(d => d.Offset)).Order()];
        CollectionAssert.AreEqual(Enumerable.Range(0, offsets.Length).Select(o => (long)o).ToArray(), offsets, "offsets written or dead-lettered, each once");

        foreach (RowOut row in file.Rows)
        {
            if (row.Corrupted)
            {
                Assert.IsTrue(letters.Any(d => d.FirstLine == row.FirstLine), $"corrupted row at line {row.FirstLine} dead-lettered");
            }
            else if (allowQuotedNewlines || row.LastLine == row.FirstLine)
            {
                string?[][] matches = [.. written.Where(w => w.Values[0] == row.Values[0]).Select(w => w.Values)];
                Assert.HasCount(1, matches, $"well-formed row at line {row.FirstLine} written once");
                CollectionAssert.AreEqual(row.Values, matches[0], $"values of the row at line {row.FirstLine}");
            }
        }
    }

    private static Rendered Render(FileSpec spec, bool allowQuotedNewlines)
    {
        string lineBreak = spec.Crlf ? "\r\n" : "\n";
        var text = new StringBuilder(string.Join(",", Enumerable.Range(0, spec.Columns).Select(c => $"c{c}"))).Append(lineBreak);
        long line = 2;
        bool corruptedOne = false;
        var rows = new List<RowOut>();
        for (int r = 0; r < spec.Rows.Length; r++)
        {
            RowSpec row = spec.Rows[r];

            // With quoted newlines allowed, two corruptions may pair up into one record the user asked to accept, so
            // the files of that mode hold one corruption at most.
            // Kind 7 is no corruption but a quote inside an unquoted field (text, as BigQuery reads it), which an
            // earlier stray quote must not pair with; in that mode it would, as the user asked.
            int corruption = allowQuotedNewlines && (corruptedOne || row.Corruption == 7) ? 0 : row.Corruption;
            corruptedOne |= corruption != 0;
            long first = line;
            var raw = new List<string>();
            var values = new List<string?>();
            string id = $"#{line};{row.First}";
            raw.Add(id);
            values.Add(id);
            int fields = corruption == 3 ? spec.Columns - 1 : spec.Columns;
            for (int c = 1; c < fields; c++)
            {
                string? special = (corruption, c) switch
                {
                    (1, 1) => "\"" + row.First,
                    (4, 1) => $"\"{row.First}\"x",
                    (5, 1) => new string('a', MaxRecordBytes + 100),
                    (6, _) when c == fields - 1 => $"\"{row.First},{row.First}",
                    (7, 1) => row.First + "\"",
                    _ => null,
                };
                (string fieldRaw, string? value) = special is null ? RenderField(row.Fields[c - 1], ref line) : (special, special);
                raw.Add(fieldRaw);
                values.Add(value);
            }

            if (corruption == 2)
            {
                raw.Add("zz");
            }

            string joined = string.Join(",", raw);
            text.Append(joined);
            if (r < spec.Rows.Length - 1 || spec.FinalBreak)
            {
                text.Append(lineBreak);
            }

            rows.Add(new RowOut(first, line, corruption is not (0 or 7), [.. values]));
            line++;
        }

        return new Rendered(text.ToString(), line - 1, rows);
    }

    /// <summary>A field's text in the file and its value; a line break inside quotes is followed by the next line's marker.</summary>
    private static (string Raw, string? Value) RenderField(FieldSpec field, ref long line)
    {
        switch (field.Kind)
        {
            case 0:
                return (string.Empty, null);
            case 1:
                return (field.Words[0], field.Words[0]);
            case 4:
                return ("\"\"", null);
        }

        var raw = new StringBuilder("\"").Append(field.Words[0]);
        var value = new StringBuilder(field.Words[0]);
        for (int j = 0; j < field.Joins.Length; j++)
        {
            (string joinRaw, string joinValue) = field.Joins[j] switch
            {
                0 => (" ", " "),
                1 => ("\"\"", "\""),
                2 => (",", ","),
                3 => ("\n", "\n"),
                _ => ("\r\n", "\r\n"),
            };
            raw.Append(joinRaw);
            value.Append(joinValue);
            if (field.Joins[j] >= 3)
            {
                string marker = $"#{++line};";
                raw.Append(marker);
                value.Append(marker);
            }

            raw.Append(field.Words[j + 1]);
            value.Append(field.Words[j + 1]);
        }

        return (raw.Append('"').ToString(), value.ToString());
    }

    [GeneratedRegex("#([0-9]+);")]
    private static partial Regex Marker();

    private sealed record FieldSpec(int Kind, string[] Words, int[] Joins);

    private sealed record RowSpec(int Corruption, string First, FieldSpec[] Fields);

    private sealed record FileSpec(int Columns, bool Crlf, bool FinalBreak, int ChunkRows, RowSpec[] Rows);

    private sealed record RowOut(long FirstLine, long LastLine, bool Corrupted, string?[] Values);

    private sealed record Rendered(string Text, long LastLine, IReadOnlyList<RowOut> Rows);
}
