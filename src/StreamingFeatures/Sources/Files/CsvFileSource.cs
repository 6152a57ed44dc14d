using System.Globalization;
using System.Threading.Tasks.Dataflow;
using CsvHelper;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Sources.Files;

/// <summary>
/// CSV files with a header row (RFC 4180 quoting: separators, quotes and line breaks inside quoted fields), matched
/// by a glob. File i in path order is partition i; a row's offset is its data-row number in its file (0 for the row
/// after the header). Column types are given or inferred (<see cref="CsvValues"/>); every header is checked when the
/// source is opened, before any row is sent. A row whose field does not parse as its column's type is no error: it
/// goes to the dead-letter sink (<see cref="DeadLetterReason.BadValue"/>, naming file, line, column, value and
/// type), is counted in <see cref="RowsRejected"/>, and the file goes on. Chunks never span a rejected row, so a
/// chunk's offsets stay contiguous.
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

    /// <summary>Rows skipped because a field did not parse (or the row had too few fields), so far.</summary>
    public long RowsRejected => Interlocked.Read(ref _rowsRejected);

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

    private static CsvReader OpenReader(string file, CsvFileSourceOptions options)
    {
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return CsvReader.Create(stream, new CsvReaderOptions { Separator = options.Separator, HasHeader = true, TrackLineNumbers = true }, leaveOpen: false);
    }

    private static async Task<IReadOnlyList<string>?> ReadHeaderAsync(string baseDirectory, string file, CsvFileSourceOptions options, List<string> errors, CancellationToken cancellationToken)
    {
        string name = FileGlob.Display(baseDirectory, file);
        try
        {
            await using CsvReader reader = OpenReader(file, options);
            await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<string> header = [.. reader.Headers];
            if (header.Count == 0 || header.All(string.IsNullOrEmpty))
            {
                errors.Add($"{name}: has no header row (the first line must name the columns).");
                return null;
            }

            foreach (string twice in header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
            {
                errors.Add($"{name}: the header names column '{twice}' more than once.");
            }

            return header;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CsvFormatException)
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
            await using CsvReader reader = OpenReader(files[f], options);
            int[] indexes = await IndexesAsync(reader, columns, cancellationToken).ConfigureAwait(false);
            while (sampled < options.InferenceRows && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sampled++;
                for (int c = 0; c < indexes.Length; c++)
                {
                    if (indexes[c] < reader.FieldCount)
                    {
                        inference[c].Add(reader.GetSpan(indexes[c]));
                    }
                }
            }
        }

        return new SourceSchema([.. columns.Select((name, c) => new SourceField(name, inference[c].Result))]);
    }

    /// <summary>Each column's field index in this file's header (checked to exist when the source was opened).</summary>
    private static async Task<int[]> IndexesAsync(CsvReader reader, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> header = reader.Headers;
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

        return indexes;
    }
}
