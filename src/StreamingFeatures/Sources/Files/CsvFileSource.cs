using System.Globalization;
using System.Text;
using System.Threading.Tasks.Dataflow;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Sources.Files;

/// <summary>
/// CSV files with a header row (RFC 4180 quoting), matched by a glob, read as BigQuery's CSV loader reads them: a
/// quoted field may span lines only with <see cref="CsvFileSourceOptions.AllowQuotedNewlines"/>. File i in path order
/// is partition i; a record's offset is its number in its file (0 for the first record after the header), counting
/// rejected records too. Column types are given or inferred (<see cref="CsvValues"/>); every header is checked when
/// the source is opened, before any row is sent. Every physical line is accounted for: it is part of a row sent, or
/// of a dead letter naming file, lines and reason (a quote that does not close, too few or too many fields, a record
/// over <see cref="CsvFileSourceOptions.MaxRecordBytes"/>, a field that does not parse as its column's type), or an
/// empty line (<see cref="BlankLines"/>). A rejected record is counted in <see cref="RowsRejected"/> and the file goes
/// on. Chunks never span a rejected record, so a chunk's offsets stay contiguous.
/// </summary>
public sealed partial class CsvFileSource : IRowSource
{
    private const int MaxValueInMessage = 100;

    private readonly CsvFileSourceOptions _options;
    private readonly string _baseDirectory;
    private readonly string _glob;
    private readonly IReadOnlyList<string> _files;
    private readonly IDeadLetterSink? _deadLetters;
    private long _rowsRejected;
    private long _blankLines;
    private long _peakBufferBytes;

    private CsvFileSource(string baseDirectory, string glob, IReadOnlyList<string> files, SourceSchema schema, CsvFileSourceOptions options, IDeadLetterSink? deadLetters)
    {
        _baseDirectory = baseDirectory;
        _glob = glob;
        _files = files;
        _options = options;
        _deadLetters = deadLetters;
        Schema = schema;
    }

    public SourceSchema Schema { get; }

    public string Description => string.Create(CultureInfo.InvariantCulture, $"csv({Path.Combine(_baseDirectory, _glob)}, {_files.Count} files)");

    /// <summary>Unknown: counting CSV rows means reading the files.</summary>
    public long? ExpectedRows => null;

    /// <summary>The files, full paths, in partition order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Records dead-lettered so far (or only counted, without a sink).</summary>
    public long RowsRejected => Interlocked.Read(ref _rowsRejected);

    /// <summary>Empty lines met so far: no record, nothing to write.</summary>
    public long BlankLines => Interlocked.Read(ref _blankLines);

    /// <summary>The most buffer bytes one file's reader held at once so far (bounded by the options, not the data).</summary>
    public long PeakBufferBytes => Interlocked.Read(ref _peakBufferBytes);

    /// <summary>
    /// Expands <paramref name="glob"/> under <paramref name="baseDirectory"/>, reads every header and, without a schema,
    /// infers one. Rejected rows go to <paramref name="deadLetters"/>; without a sink they are only counted.
    /// </summary>
    /// <exception cref="FileSourceException">
    /// No file matches, a file has no header, a header names a column twice, or a file lacks a column of the schema;
    /// every problem named with file and column.
    /// </exception>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static async Task<CsvFileSource> OpenAsync(string baseDirectory, string glob, CsvFileSourceOptions? options = null, IDeadLetterSink? deadLetters = null, CancellationToken cancellationToken = default)
    {
        options ??= new CsvFileSourceOptions();
        options.Validate();
        IReadOnlyList<string> files = FileGlob.Expand(baseDirectory, glob);
        var errors = new List<string>();
        var headers = new IReadOnlyList<string>?[files.Count];
        for (int i = 0; i < files.Count; i++)
        {
            headers[i] = await ReadHeaderAsync(baseDirectory, files[i], options, errors, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<string>? columns = options.Schema is { } given
            ? [.. given.Fields.Select(f => f.Name)]
            : headers.FirstOrDefault(h => h is not null);
        if (columns is not null)
        {
            string first = FileGlob.Display(baseDirectory, files[Array.FindIndex(headers, h => h is not null)]);
            for (int i = 0; i < files.Count; i++)
            {
                foreach (string missing in columns.Where(c => headers[i] is { } header && !header.Contains(c, StringComparer.Ordinal)))
                {
                    errors.Add(options.Schema is null
                        ? $"{FileGlob.Display(baseDirectory, files[i])}: column '{missing}' is missing; the first file {first} has it (header: {string.Join(",", headers[i]!)})."
                        : $"{FileGlob.Display(baseDirectory, files[i])}: column '{missing}' of the schema is not in the header ({string.Join(",", headers[i]!)}).");
                }
            }
        }

        if (errors.Count > 0 || columns is null)
        {
            throw new FileSourceException(errors);
        }

        SourceSchema schema = options.Schema
            ?? await InferAsync(files, columns, options, cancellationToken).ConfigureAwait(false);
        return new CsvFileSource(baseDirectory, glob, files, schema, options, deadLetters);
    }

    public Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentFiles, CancellationToken = cancellationToken };
        bool declined = false;
        return Parallel.ForEachAsync(Enumerable.Range(0, _files.Count), parallel, async (file, ct) =>
        {
            if (!Volatile.Read(ref declined) && !await RunFileAsync(file, target, ct).ConfigureAwait(false))
            {
                // The target declined (it completed or faulted): the pipeline is stopping, so the others stop too.
                Volatile.Write(ref declined, true);
            }
        });
    }

    private static CsvRecordReader OpenReader(string file, CsvFileSourceOptions options)
    {
        Stream stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        stream = options.ReadThrough?.Invoke(stream) ?? stream;
        return new CsvRecordReader(stream, options.Separator, options.AllowQuotedNewlines, options.MaxRecordBytes);
    }

    /// <summary>The header's names; null, with the problem, when the first record is missing or malformed.</summary>
    private static async Task<(IReadOnlyList<string>? Header, string? Problem)> HeaderAsync(CsvRecordReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return (null, "has no header row (the first line must name the columns).");
        }

        if (reader.Status != CsvRecordStatus.Ok)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"line {reader.FirstLine}: the header cannot be read: {Describe(reader.Status)}."));
        }

        string[] header = new string[Math.Min(reader.FieldCount, reader.MaxFields)];
        for (int h = 0; h < header.Length; h++)
        {
            header[h] = Encoding.UTF8.GetString(reader.Field(h));
        }

        // Positions of one field more than the header are enough to tell a row with extra fields.
        reader.MaxFields = header.Length + 1;
        return (header, null);
    }

    private static async Task<IReadOnlyList<string>?> ReadHeaderAsync(string baseDirectory, string file, CsvFileSourceOptions options, List<string> errors, CancellationToken cancellationToken)
    {
        string name = FileGlob.Display(baseDirectory, file);
        try
        {
            await using CsvRecordReader reader = OpenReader(file, options);
            (IReadOnlyList<string>? header, string? problem) = await HeaderAsync(reader, cancellationToken).ConfigureAwait(false);
            if (header is null || header.All(string.IsNullOrEmpty))
            {
                errors.Add($"{name}: {problem ?? "has no header row (the first line must name the columns)."}");
                return null;
            }

            foreach (string twice in header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
            {
                errors.Add($"{name}: the header names column '{twice}' more than once.");
            }

            return header;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{name}: cannot read the header: {e.Message}");
            return null;
        }
    }

    /// <summary>Types the columns from the first <see cref="CsvFileSourceOptions.InferenceRows"/> data rows, file after file.</summary>
    private static async Task<SourceSchema> InferAsync(IReadOnlyList<string> files, IReadOnlyList<string> columns, CsvFileSourceOptions options, CancellationToken cancellationToken)
    {
        var inference = new CsvValues.Inference[columns.Count];
        int sampled = 0;
        for (int f = 0; f < files.Count && sampled < options.InferenceRows; f++)
        {
            await using CsvRecordReader reader = OpenReader(files[f], options);
            (int[] indexes, int width) = await IndexesAsync(reader, columns, cancellationToken).ConfigureAwait(false);
            while (sampled < options.InferenceRows && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.Status != CsvRecordStatus.Ok || reader.FieldCount != width)
                {
                    // Rejected when the rows are read; the sample skips it the same way.
                    reader.ResumeAfterFirstLine();
                    continue;
                }

                sampled++;
                for (int c = 0; c < indexes.Length; c++)
                {
                    inference[c].Add(reader.Field(indexes[c]));
                }
            }
        }

        return new SourceSchema([.. columns.Select((name, c) => new SourceField(name, inference[c].Result))]);
    }

    /// <summary>Each column's field index in this file's header (checked to exist when the source was opened), and the header's width.</summary>
    private static async Task<(int[] Indexes, int Width)> IndexesAsync(CsvRecordReader reader, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        (IReadOnlyList<string>? read, string? problem) = await HeaderAsync(reader, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> header = read ?? throw new FileSourceException([$"the header can no longer be read ({problem}); the file changed during the job."]);
        int[] indexes = new int[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            indexes[c] = -1;
            for (int h = 0; h < header.Count && indexes[c] < 0; h++)
            {
                if (string.Equals(header[h], columns[c], StringComparison.Ordinal))
                {
                    indexes[c] = h;
                }
            }

            if (indexes[c] < 0)
            {
                throw new FileSourceException([$"column '{columns[c]}' is no longer in the header ({string.Join(",", header)}); the file changed during the job."]);
            }
        }

        return (indexes, header.Count);
    }
}
