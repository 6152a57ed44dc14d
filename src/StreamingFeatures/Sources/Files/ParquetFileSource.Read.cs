using System.Globalization;
using System.Threading.Tasks.Dataflow;
using StreamingFeatures.DeadLetters;
using Parquet;
using Parquet.Schema;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.Files;

public sealed partial class ParquetFileSource
{
    /// <summary>Sends one file's rows; false when the target declined a chunk.</summary>
    private async Task<bool> RunFileAsync(int partition, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        await using ParquetReader reader = await ParquetReader.CreateAsync(_files[partition], cancellationToken: cancellationToken).ConfigureAwait(false);
        var columns = new ParquetColumn[_types.Length];
        try
        {
            for (int c = 0; c < columns.Length; c++)
            {
                columns[c] = ParquetColumn.For(Resolve(reader.Schema, partition, c), _types[c]);
            }

            long offset = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                ParquetRowGroupReader rowGroup = reader.OpenRowGroupReader(g);
                long rows = rowGroup.RowCount;
                foreach (ParquetColumn column in columns)
                {
                    await column.ReadAsync(rowGroup, cancellationToken).ConfigureAwait(false);
                }

                for (long first = 0; first < rows;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int count = (int)Math.Min(_options.ChunkRows, rows - first);
                    (int oversized, int column, long length) = FindOversized(columns, count);
                    if (oversized >= 0)
                    {
                        // The rows before it go as one chunk: chunks never span a rejected row.
                        count = oversized;
                    }

                    if (count > 0)
                    {
                        var vectors = new ColumnVector[columns.Length];
                        for (int c = 0; c < columns.Length; c++)
                        {
                            vectors[c] = columns[c].Take(count);
                        }

                        if (!await target.SendAsync(new SourceChunk(partition, offset + first, count, vectors), cancellationToken).ConfigureAwait(false))
                        {
                            return false;
                        }

                        first += count;
                    }

                    if (oversized >= 0)
                    {
                        foreach (ParquetColumn skipped in columns)
                        {
                            skipped.Skip(1);
                        }

                        await RejectAsync(partition, offset + first, column, length, cancellationToken).ConfigureAwait(false);
                        first++;
                    }
                }

                offset += rows;
            }

            return true;
        }
        finally
        {
            foreach (ParquetColumn? column in columns)
            {
                column?.Dispose();
            }
        }
    }

    /// <summary>The first row among the next <paramref name="count"/> with a value over the bound, its column and length; row -1 when none.</summary>
    private (int Row, int Column, long Length) FindOversized(ParquetColumn[] columns, int count)
    {
        (int row, int column, long length) = (-1, -1, 0);
        for (int c = 0; c < columns.Length; c++)
        {
            int found = columns[c].FindOversized(row < 0 ? count : row, _options.MaxValueBytes, out long bytes);
            if (found >= 0)
            {
                (row, column, length) = (found, c, bytes);
            }
        }

        return (row, column, length);
    }

    private async Task RejectAsync(int partition, long offset, int column, long length, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _rowsRejected);
        if (_deadLetters is null)
        {
            return;
        }

        string file = FileGlob.Display(_baseDirectory, _files[partition]);
        string name = Schema.Fields[column].Name;
        string message = string.Create(CultureInfo.InvariantCulture, $"{file} row {offset}, column '{name}': the value is {length} bytes; the limit is {_options.MaxValueBytes} (max record bytes).");
        await _deadLetters.WriteAsync(new DeadLetter(DeadLetterReason.ValueTooLarge, message, partition, offset, Field: name, File: file, RecordBytes: length), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The file's field for schema column <paramref name="column"/>, checked again in case the file changed since it was opened.</summary>
    private DataField Resolve(ParquetSchema schema, int partition, int column)
    {
        SourceField expected = Schema.Fields[column];
        Field? field = schema.Fields.FirstOrDefault(f => f.Name == expected.Name);
        if (field is DataField data && ParquetTypes.Map(data, _options.DecimalAsFloat64, out _) == expected.Type)
        {
            return data;
        }

        string found = field is null ? "missing" : ParquetTypes.Describe(field);
        throw new FileSourceException([$"{FileGlob.Display(_baseDirectory, _files[partition])}: column '{expected.Name}' is {found} now, {expected.Type} when the source was opened; the file changed during the job."]);
    }
}
