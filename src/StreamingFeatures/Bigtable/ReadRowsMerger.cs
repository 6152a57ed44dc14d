using Google.Cloud.Bigtable.V2;
using Google.Protobuf;

namespace StreamingFeatures.Bigtable;

/// <summary>
/// Turns the chunk stream of <c>ReadRows</c> into whole rows, by the rules Google's clients follow (the
/// ReadRows acceptance tests): a cell may be split over chunks (<c>value_size</c>), a row may be reset, and a
/// row exists only once committed. Violations of the protocol throw <see cref="InvalidDataException"/>
/// naming the row and the rule, since merging on would return wrong data.
/// </summary>
public sealed class ReadRowsMerger
{
    private ByteString? _lastCommittedKey;
    private Row? _row;
    private Family? _family;
    private Column? _column;
    private Cell? _cell;
    private ByteString _value = ByteString.Empty;
    private List<ByteString>? _valueParts;
    private bool _inSplitCell;

    /// <summary>The key of the last row handed out; a resumed read starts after it.</summary>
    public ByteString? LastCommittedKey => _lastCommittedKey;

    /// <summary>Feeds one response; returns the rows it completed, in order.</summary>
    public IReadOnlyList<Row> Add(ReadRowsResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        List<Row>? completed = null;
        for (int i = 0; i < response.Chunks.Count; i++)
        {
            Row? row = Add(response.Chunks[i]);
            if (row is not null)
            {
                (completed ??= []).Add(row);
            }
        }

        if (!response.LastScannedRowKey.IsEmpty && _row is null)
        {
            _lastCommittedKey = Max(_lastCommittedKey, response.LastScannedRowKey);
        }

        return (IReadOnlyList<Row>?)completed ?? [];
    }

    /// <summary>Call when the stream ended cleanly: a row still open means the server broke off mid-row.</summary>
    public void Complete()
    {
        if (_row is not null)
        {
            throw Violation("the stream ended inside a row that was never committed");
        }
    }

    private Row? Add(ReadRowsResponse.Types.CellChunk chunk)
    {
        if (chunk.ResetRow)
        {
            if (_row is null || chunk.RowKey.Length > 0 || chunk.FamilyName is not null || chunk.Qualifier is not null
                || chunk.TimestampMicros != 0 || chunk.Labels.Count > 0 || chunk.Value.Length > 0 || chunk.CommitRow)
            {
                throw Violation("reset_row must come alone, inside a row");
            }

            ResetRow();
            return null;
        }

        if (_inSplitCell)
        {
            if (chunk.RowKey.Length > 0 || chunk.FamilyName is not null || chunk.Qualifier is not null || chunk.TimestampMicros != 0 || chunk.Labels.Count > 0)
            {
                throw Violation("a chunk continuing a split cell may carry only its value");
            }
        }
        else
        {
            StartCell(chunk);
        }

        AppendValue(chunk);
        if (chunk.ValueSize > 0)
        {
            _inSplitCell = true;
        }
        else
        {
            _inSplitCell = false;
            FinishCell();
        }

        if (!chunk.CommitRow)
        {
            return null;
        }

        if (_inSplitCell)
        {
            throw Violation("commit_row inside a split cell");
        }

        Row row = _row!;
        _lastCommittedKey = row.Key;
        ResetRow();
        return row;
    }

    private void StartCell(ReadRowsResponse.Types.CellChunk chunk)
    {
        if (_row is null)
        {
            if (chunk.RowKey.IsEmpty)
            {
                throw Violation("a new row must start with a row key");
            }

            if (_lastCommittedKey is not null && Compare(chunk.RowKey, _lastCommittedKey) <= 0)
            {
                throw Violation($"row key {Describe(chunk.RowKey)} is not after the previous row {Describe(_lastCommittedKey)}");
            }

            if (chunk.FamilyName is null || chunk.Qualifier is null)
            {
                throw Violation("a new row must name a family and a qualifier");
            }

            _row = new Row { Key = chunk.RowKey };
        }
        else if (!chunk.RowKey.IsEmpty && chunk.RowKey != _row.Key)
        {
            throw Violation($"row key changed to {Describe(chunk.RowKey)} without commit_row");
        }

        if (chunk.FamilyName is not null)
        {
            if (chunk.Qualifier is null)
            {
                throw Violation("a new family must come with a qualifier");
            }

            _family = FindFamily(_row, chunk.FamilyName);
            if (_family is null)
            {
                _family = new Family { Name = chunk.FamilyName };
                _row.Families.Add(_family);
            }
        }

        if (chunk.Qualifier is not null)
        {
            if (_family is null)
            {
                throw Violation("a qualifier came before any family");
            }

            _column = FindColumn(_family, chunk.Qualifier);
            if (_column is null)
            {
                _column = new Column { Qualifier = chunk.Qualifier };
                _family.Columns.Add(_column);
            }
        }

        _cell = new Cell { TimestampMicros = chunk.TimestampMicros };
        if (chunk.Labels.Count > 0)
        {
            _cell.Labels.Add(chunk.Labels);
        }

        _value = ByteString.Empty;
        _valueParts = null;
    }

    // Loops rather than LINQ: this runs per cell of every row read back.
    private static Family? FindFamily(Row row, string name)
    {
        for (int i = 0; i < row.Families.Count; i++)
        {
            if (row.Families[i].Name == name)
            {
                return row.Families[i];
            }
        }

        return null;
    }

    private static Column? FindColumn(Family family, ByteString qualifier)
    {
        for (int i = 0; i < family.Columns.Count; i++)
        {
            if (family.Columns[i].Qualifier == qualifier)
            {
                return family.Columns[i];
            }
        }

        return null;
    }

    private void AppendValue(ReadRowsResponse.Types.CellChunk chunk)
    {
        if (!_inSplitCell && chunk.ValueSize == 0)
        {
            _value = chunk.Value;
            return;
        }

        (_valueParts ??= []).Add(chunk.Value);
    }

    private void FinishCell()
    {
        if (_valueParts is not null)
        {
            _value = ByteString.CopyFrom(_valueParts.SelectMany(part => part.ToByteArray()).ToArray());
            _valueParts = null;
        }

        _cell!.Value = _value;
        _column!.Cells.Add(_cell);
        _cell = null;
    }

    private void ResetRow()
    {
        _row = null;
        _family = null;
        _column = null;
        _cell = null;
        _valueParts = null;
        _inSplitCell = false;
    }

    private InvalidDataException Violation(string rule) =>
        new($"ReadRows protocol violation in row {(_row is null ? "(none open)" : Describe(_row.Key))}: {rule}.");

    private static ByteString Max(ByteString? a, ByteString b) => a is null || Compare(b, a) > 0 ? b : a;

    private static int Compare(ByteString a, ByteString b) => a.Span.SequenceCompareTo(b.Span);

    private static string Describe(ByteString key) => "'" + key.ToStringUtf8() + "'";
}
