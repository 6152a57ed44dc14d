using System.Globalization;
using System.Text;
using System.Threading.Tasks.Dataflow;
using CsvHelper;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.Files;

public sealed partial class CsvFileSource
{
    /// <summary>Sends one file's rows; false when the target declined a chunk.</summary>
    private async Task<bool> RunFileAsync(int partition, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        await using CsvReader reader = OpenReader(_files[partition], _options);
        IReadOnlyList<SourceField> fields = Schema.Fields;
        int[] indexes = await IndexesAsync(reader, [.. fields.Select(f => f.Name)], cancellationToken).ConfigureAwait(false);
        int needed = indexes.Max() + 1;
        CsvColumnBuilder[] builders = [.. fields.Select(f => CsvColumnBuilder.Create(f.Type, _options.ChunkRows))];
        long first = 0;
        int count = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            long offset = reader.RowNumber - 1;
            DeadLetter? problem = reader.FieldCount < needed ? TooFewFields(reader, partition, offset, needed) : null;
            for (int c = 0; problem is null && c < indexes.Length; c++)
            {
                if (!builders[c].TryAppend(reader.GetSpan(indexes[c])))
                {
                    problem = BadValue(reader, partition, offset, fields[c], reader.GetSpan(indexes[c]));
                }
            }

            if (problem is not null)
            {
                // The row's fields that parsed come out again; the rows before it go as one chunk, so every chunk
                // covers contiguous offsets and the rejected offset is in none.
                foreach (CsvColumnBuilder builder in builders)
                {
                    builder.Truncate(count);
                }

                Interlocked.Increment(ref _rowsRejected);
                if (_deadLetters is not null)
                {
                    await _deadLetters.WriteAsync(problem, cancellationToken).ConfigureAwait(false);
                }

                if (count > 0 && !await SendAsync(partition, first, count, builders, target, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                count = 0;
                continue;
            }

            if (count++ == 0)
            {
                first = offset;
            }

            if (count == _options.ChunkRows)
            {
                if (!await SendAsync(partition, first, count, builders, target, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                count = 0;
            }
        }

        return count == 0 || await SendAsync(partition, first, count, builders, target, cancellationToken).ConfigureAwait(false);
    }

    private static Task<bool> SendAsync(int partition, long first, int count, CsvColumnBuilder[] builders, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        var columns = new ColumnVector[builders.Length];
        for (int c = 0; c < builders.Length; c++)
        {
            columns[c] = builders[c].Build();
        }

        return target.SendAsync(new SourceChunk(partition, first, count, columns), cancellationToken);
    }

    private DeadLetter BadValue(CsvReader reader, int partition, long offset, SourceField field, ReadOnlySpan<byte> value)
    {
        string text = Encoding.UTF8.GetString(value[..Math.Min(value.Length, MaxValueInMessage)]) + (value.Length > MaxValueInMessage ? "…" : string.Empty);
        string message = string.Create(CultureInfo.InvariantCulture,
            $"{FileGlob.Display(_baseDirectory, _files[partition])} line {reader.LineNumber}, column '{field.Name}': '{text}' is not {CsvValues.Expected(field.Type)}.");
        return new DeadLetter(DeadLetterReason.BadValue, message, partition, offset, Field: field.Name);
    }

    private DeadLetter TooFewFields(CsvReader reader, int partition, long offset, int needed)
    {
        string message = string.Create(CultureInfo.InvariantCulture,
            $"{FileGlob.Display(_baseDirectory, _files[partition])} line {reader.LineNumber}: the row has {reader.FieldCount} fields; the columns read need {needed}.");
        return new DeadLetter(DeadLetterReason.Unparseable, message, partition, offset);
    }
}
