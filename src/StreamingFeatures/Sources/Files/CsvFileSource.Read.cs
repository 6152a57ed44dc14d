using System.Globalization;
using System.Threading.Tasks.Dataflow;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.Files;

public sealed partial class CsvFileSource
{
    /// <summary>Sends one file's rows; false when the target declined a chunk.</summary>
    private async Task<bool> RunFileAsync(int partition, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        await using CsvRecordReader reader = OpenReader(_files[partition], _options);
        try
        {
            return await ReadFileAsync(reader, partition, target, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // The job stops (exit 1) saying where: the lines before were sent, this one and the rest were not.
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"{FileGlob.Display(_baseDirectory, _files[partition])}: cannot read after line {reader.LastLine}: {e.Message}"), e);
        }
        finally
        {
            Interlocked.Add(ref _blankLines, reader.BlankLines);
            long peak = reader.PeakBufferBytes;
            for (long seen = Interlocked.Read(ref _peakBufferBytes); peak > seen; seen = Interlocked.Read(ref _peakBufferBytes))
            {
                Interlocked.CompareExchange(ref _peakBufferBytes, peak, seen);
            }
        }
    }

    private async Task<bool> ReadFileAsync(CsvRecordReader reader, int partition, ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
    {
        IReadOnlyList<SourceField> fields = Schema.Fields;
        (int[] indexes, int width) = await IndexesAsync(reader, [.. fields.Select(f => f.Name)], cancellationToken).ConfigureAwait(false);
        CsvColumnBuilder[] builders = [.. fields.Select(f => CsvColumnBuilder.Create(f.Type, _options.ChunkRows))];
        long next = 0;
        long first = 0;
        int count = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            long offset = next++;
            DeadLetter? problem = Malformed(reader, partition, offset, width);
            if (problem is not null)
            {
                reader.ResumeAfterFirstLine();
            }

            for (int c = 0; problem is null && c < indexes.Length; c++)
            {
                ReadOnlySpan<byte> value = reader.Field(indexes[c]);
                if (!builders[c].TryAppend(value))
                {
                    problem = BadValue(reader, partition, offset, fields[c], value);
                }
            }

            if (problem is not null)
            {
                // The record's fields that parsed come out again; the rows before it go as one chunk, so every
                // chunk covers contiguous offsets and the rejected offset is in none.
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
}
