using Apache.Arrow;
using Google.Cloud.BigQuery.Storage.V1;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// A read stream: a contiguous range of table rows. As on the real service, streams are cut on the rows before the
/// filter; a stream's rows and offsets are those of its range that pass the session's row restriction.
/// </summary>
internal sealed class StreamRange
{
    private readonly Lazy<RowMatches?> _matches;

    public StreamRange(ReadSessionState session, int number, long start, long end)
    {
        Session = session;
        Number = number;
        Start = start;
        End = end;
        Name = ResourceNames.Stream(session.Name, number);
        _matches = new Lazy<RowMatches?>(FindMatches);
    }

    public ReadSessionState Session { get; }

    public int Number { get; }

    public string Name { get; }

    /// <summary>The first table row of the range.</summary>
    public long Start { get; }

    /// <summary>The table row after the range.</summary>
    public long End { get; }

    /// <summary>Rows the stream returns (after the filter).</summary>
    public long RowCount => _matches.Value?.Count ?? End - Start;

    public ReadStream ToProto() => new() { Name = Name };

    /// <summary>The table rows of stream rows <c>[offset, offset + count)</c>.</summary>
    public long[] TableRows(long offset, int count)
    {
        if (_matches.Value is { } matches)
        {
            return matches.TableRows(offset, count);
        }

        var rows = new long[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = Start + offset + i;
        }

        return rows;
    }

    /// <summary>The rows of the range that pass the filter (kept while the session lives); null without one.</summary>
    private RowMatches? FindMatches()
    {
        if (Session.Filter is not { } filter || Start == End)
        {
            return null;
        }

        EmulatorTable table = Session.Table;
        var matches = new RowMatches(Start, End);
        for (int b = table.BatchOf(Start); b < table.BatchCount && table.BatchStart(b) < End; b++)
        {
            long batchStart = table.BatchStart(b);
            if (table.BatchStart(b + 1) == batchStart)
            {
                continue;
            }

            RecordBatch batch = table.Batch(b);
            int from = (int)Math.Max(0, Start - batchStart);
            int to = (int)Math.Min(batch.Length, End - batchStart);
            for (int i = from; i < to; i++)
            {
                if (filter.Matches(batch, i))
                {
                    matches.Add(batchStart + i);
                }
            }
        }

        matches.Seal();
        return matches;
    }
}
