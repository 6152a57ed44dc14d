using System.Threading.Tasks.Dataflow;
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

                for (long first = 0; first < rows; first += _options.ChunkRows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int count = (int)Math.Min(_options.ChunkRows, rows - first);
                    var vectors = new ColumnVector[columns.Length];
                    for (int c = 0; c < columns.Length; c++)
                    {
                        vectors[c] = columns[c].Take(count);
                    }

                    if (!await target.SendAsync(new SourceChunk(partition, offset + first, count, vectors), cancellationToken).ConfigureAwait(false))
                    {
                        return false;
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
