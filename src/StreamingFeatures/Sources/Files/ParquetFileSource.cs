using System.Globalization;
using System.Threading.Tasks.Dataflow;
using Parquet;
using Parquet.Schema;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.Files;

/// <summary>
/// Parquet files matched by a glob. File i in path order is partition i, and a row's offset is its row number in
/// its file, so dead letters and checkpoints name every row's position. The schema comes from the first file; every
/// footer is read and checked when the source is opened, before any row is sent. Row groups are read one column at
/// a time into pooled buffers and sent as chunks of at most <see cref="ParquetFileSourceOptions.ChunkRows"/> rows.
/// A row with a string or bytes value over <see cref="ParquetFileSourceOptions.MaxValueBytes"/> goes to the dead-letter
/// sink instead, counted in <see cref="RowsRejected"/>; chunks never span it, so their offsets stay contiguous.
/// </summary>
public sealed partial class ParquetFileSource : IRowSource
{
    private readonly ParquetFileSourceOptions _options;
    private readonly string _baseDirectory;
    private readonly string _glob;
    private readonly IReadOnlyList<string> _files;
    private readonly ColumnType[] _types;
    private readonly IDeadLetterSink? _deadLetters;
    private long _rowsRejected;

    private ParquetFileSource(string baseDirectory, string glob, IReadOnlyList<string> files, SourceSchema schema, long rows, ParquetFileSourceOptions options, IDeadLetterSink? deadLetters)
    {
        _deadLetters = deadLetters;
        _baseDirectory = baseDirectory;
        _glob = glob;
        _files = files;
        _options = options;
        _types = [.. schema.Fields.Select(f => f.Type)];
        Schema = schema;
        ExpectedRows = rows;
    }

    public SourceSchema Schema { get; }

    public string Description => string.Create(CultureInfo.InvariantCulture, $"parquet({Path.Combine(_baseDirectory, _glob)}, {_files.Count} files)");

    /// <summary>The rows of every file, from the footers.</summary>
    public long? ExpectedRows { get; }

    /// <summary>The files, full paths, in partition order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Rows dead-lettered so far (or only counted, without a sink): a value over the bound.</summary>
    public long RowsRejected => Interlocked.Read(ref _rowsRejected);

    /// <summary>
    /// Expands <paramref name="glob"/> under <paramref name="baseDirectory"/> and reads every footer. Rows refused
    /// for a value over the bound go to <paramref name="deadLetters"/>; without a sink they are only counted.
    /// </summary>
    /// <exception cref="FileSourceException">
    /// No file matches, a file is not Parquet, a column is missing from a file or typed differently than in the first
    /// file, or a column's type cannot map; every problem named with file, column and types.
    /// </exception>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static async Task<ParquetFileSource> OpenAsync(string baseDirectory, string glob, ParquetFileSourceOptions? options = null, IDeadLetterSink? deadLetters = null, CancellationToken cancellationToken = default)
    {
        options ??= new ParquetFileSourceOptions();
        options.Validate();
        IReadOnlyList<string> files = FileGlob.Expand(baseDirectory, glob);
        var errors = new List<string>();
        SourceField[]? fields = null;
        string[]? firstTypes = null;
        long rows = 0;
        for (int i = 0; i < files.Count; i++)
        {
            string name = FileGlob.Display(baseDirectory, files[i]);
            ParquetSchema schema;
            try
            {
                await using ParquetReader reader = await ParquetReader.CreateAsync(files[i], cancellationToken: cancellationToken).ConfigureAwait(false);
                schema = reader.Schema;
                rows += reader.Metadata?.NumRows ?? reader.RowGroups.Sum(g => g.RowCount);
            }
            catch (Exception e) when (e is IOException or ParquetException or InvalidDataException or UnauthorizedAccessException)
            {
                errors.Add($"{name}: cannot read the Parquet footer: {e.Message}");
                continue;
            }

            if (fields is null)
            {
                (fields, firstTypes) = FirstSchema(name, schema, options, errors);
            }
            else
            {
                CheckSameSchema(name, FileGlob.Display(baseDirectory, files[0]), schema, fields, firstTypes!, options, errors);
            }
        }

        if (errors.Count > 0 || fields is null)
        {
            throw new FileSourceException(errors);
        }

        return new ParquetFileSource(baseDirectory, glob, files, new SourceSchema(fields), rows, options, deadLetters);
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

    private static (SourceField[] Fields, string[] Types) FirstSchema(string name, ParquetSchema schema, ParquetFileSourceOptions options, List<string> errors)
    {
        IReadOnlyList<string> columns = options.Columns ?? [.. schema.Fields.Select(f => f.Name)];
        var fields = new List<SourceField>();
        var types = new List<string>();
        foreach (string column in columns)
        {
            Field? field = schema.Fields.FirstOrDefault(f => f.Name == column);
            if (field is null)
            {
                errors.Add($"{name}: column '{column}' is not in the file (it has: {string.Join(", ", schema.Fields.Select(f => f.Name))}).");
                continue;
            }

            ColumnType? type = ParquetTypes.Map(field, options.DecimalAsFloat64, out string? problem);
            if (type is null)
            {
                errors.Add($"{name}: column '{column}' is {ParquetTypes.Describe(field)}: {problem}.");
                continue;
            }

            fields.Add(new SourceField(column, type.Value, field.IsNullable));
            types.Add(ParquetTypes.Describe(field));
        }

        return ([.. fields], [.. types]);
    }

    /// <summary>
    /// A later file must have every column the source reads, mapping to the same engine type (INT32 in one file and
    /// INT64 in another both read as Int64 without loss, so they match). Extra columns are ignored.
    /// </summary>
    private static void CheckSameSchema(string name, string firstName, ParquetSchema schema, SourceField[] fields, string[] firstTypes, ParquetFileSourceOptions options, List<string> errors)
    {
        for (int c = 0; c < fields.Length; c++)
        {
            Field? field = schema.Fields.FirstOrDefault(f => f.Name == fields[c].Name);
            if (field is null)
            {
                errors.Add($"{name}: column '{fields[c].Name}' is missing; the first file {firstName} has it as {firstTypes[c]} ({fields[c].Type}).");
                continue;
            }

            ColumnType? type = ParquetTypes.Map(field, options.DecimalAsFloat64, out string? problem);
            if (type != fields[c].Type)
            {
                string found = type is null ? problem! : type.Value.ToString();
                errors.Add($"{name}: column '{fields[c].Name}' is {ParquetTypes.Describe(field)} ({found}); the first file {firstName} has {firstTypes[c]} ({fields[c].Type}).");
            }
            else if (field.IsNullable && !fields[c].Nullable)
            {
                fields[c] = fields[c] with { Nullable = true };
            }
        }
    }
}
