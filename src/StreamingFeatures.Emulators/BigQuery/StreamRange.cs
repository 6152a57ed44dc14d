using Google.Cloud.BigQuery.Storage.V1;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// A read stream: a contiguous range of table rows. As on the real service, streams are cut on the rows before the
/// filter; a stream's rows and offsets are those of its range that pass the session's row restriction.
/// </summary>
internal sealed class StreamRange
{
    private readonly Lazy<long[]?> _matches;

    public StreamRange(ReadSessionState session, int number, long start, long end)
    {
        Session = session;
        Number = number;
        Start = start;
        End = end;
        Name = ResourceNames.Stream(session.Name, number);
        _matches = new Lazy<long[]?>(FindMatches);
    }

    public ReadSessionState Session { get; }

    public int Number { get; }

    public string Name { get; }

    /// <summary>The first table row of the range.</summary>
    public long Start { get; }

    /// <summary>The table row after the range.</summary>
    public long End { get; }

    /// <summary>Rows the stream returns (after the filter).</summary>
    public long RowCount => _matches.Value?.LongLength ?? End - Start;

    public ReadStream ToProto() => new() { Name = Name };

    /// <summary>The table rows of stream rows <c>[offset, offset + count)</c>.</summary>
    public long[] TableRows(long offset, int count)
    {
        if (_matches.Value is { } matches)
        {
            return matches.AsSpan((int)offset, count).ToArray();
        }

        var rows = new long[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = Start + offset + i;
        }

        return rows;
    }

    /// <summary>The table rows of the range that pass the filter (8 bytes each, kept while the session lives); null without one.</summary>
    private long[]? FindMatches()
    {
        if (Session.Filter is not { } filter || Start == End)
        {
            return null;
        }

        EmulatorTable table = Session.Table;
        var matches = new List<long>();
        for (int b = table.BatchOf(Start); b < table.BatchCount && table.BatchStart(b) < End; b++)
        {
            long batchStart = table.BatchStart(b);
            int from = (int)Math.Max(0, Start - batchStart);
            int to = (int)Math.Min(table.Batch(b).Length, End - batchStart);
            for (int i = from; i < to; i++)
            {
                if (filter.Matches(table.Batch(b), i))
                {
                    matches.Add(batchStart + i);
                }
            }
        }

        return [.. matches];
    }
}
