using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Tests.Verification;

/// <summary>
/// One row as Bigtable keeps it while entries of several writers land on it in any order: SetCell replaces the cell
/// of its timestamp, DeleteFromColumn removes the cells of its time range, and <see cref="CollectGarbage"/> applies
/// the families' max-versions rules (which Bigtable does at a time of its choosing, the emulator within a second or so).
/// </summary>
internal sealed class StoredRow(ByteString key)
{
    private readonly SortedDictionary<(string Family, string Qualifier), SortedDictionary<long, ByteString>> _columns = [];

    public void Apply(MutateRowsRequest.Types.Entry entry)
    {
        Assert.AreEqual(key, entry.RowKey);
        foreach (Mutation mutation in entry.Mutations)
        {
            switch (mutation.MutationCase)
            {
                case Mutation.MutationOneofCase.SetCell:
                    Mutation.Types.SetCell set = mutation.SetCell;
                    Column(set.FamilyName, set.ColumnQualifier.ToStringUtf8())[set.TimestampMicros] = set.Value;
                    break;
                case Mutation.MutationOneofCase.DeleteFromColumn:
                    Mutation.Types.DeleteFromColumn delete = mutation.DeleteFromColumn;
                    long start = delete.TimeRange?.StartTimestampMicros ?? 0;
                    long end = delete.TimeRange is { EndTimestampMicros: > 0 } range ? range.EndTimestampMicros : long.MaxValue;
                    SortedDictionary<long, ByteString> cells = Column(delete.FamilyName, delete.ColumnQualifier.ToStringUtf8());
                    foreach (long timestamp in cells.Keys.Where(t => t >= start && t < end).ToList())
                    {
                        cells.Remove(timestamp);
                    }

                    break;
                default:
                    throw new AssertFailedException($"The mapper wrote a {mutation.MutationCase}.");
            }
        }
    }

    /// <summary>Keeps the newest <c>maxVersions</c> cells of each column, per the feature set's families.</summary>
    public void CollectGarbage(FeatureSetOptions featureSet)
    {
        foreach (((string family, _), SortedDictionary<long, ByteString> cells) in _columns)
        {
            if (featureSet.Families.TryGetValue(family, out ColumnFamilyOptions? options) && options.MaxVersions is { } versions)
            {
                foreach (long timestamp in cells.Keys.Take(Math.Max(0, cells.Count - versions)).ToList())
                {
                    cells.Remove(timestamp);
                }
            }
        }
    }

    /// <summary>The newest cell of a column: its timestamp and value, or null when the column is empty.</summary>
    public (long TimestampMicros, ByteString Value)? Newest(string family, string qualifier) =>
        _columns.TryGetValue((family, qualifier), out SortedDictionary<long, ByteString>? cells) && cells.Count > 0
            ? (cells.Keys.Last(), cells[cells.Keys.Last()])
            : null;

    /// <summary>The row as ReadRows returns it: columns in order, cells newest first; null when no cell is left.</summary>
    public Row? Read()
    {
        var row = new Row { Key = key };
        foreach (IGrouping<string, KeyValuePair<(string Family, string Qualifier), SortedDictionary<long, ByteString>>> family in _columns.Where(c => c.Value.Count > 0).GroupBy(c => c.Key.Family))
        {
            var stored = new Family { Name = family.Key };
            foreach (KeyValuePair<(string Family, string Qualifier), SortedDictionary<long, ByteString>> column in family)
            {
                var cells = new Column { Qualifier = ByteString.CopyFromUtf8(column.Key.Qualifier) };
                cells.Cells.AddRange(column.Value.Reverse().Select(cell => new Cell { TimestampMicros = cell.Key, Value = cell.Value }));
                stored.Columns.Add(cells);
            }

            row.Families.Add(stored);
        }

        return row.Families.Count == 0 ? null : row;
    }

    private SortedDictionary<long, ByteString> Column(string family, string qualifier)
    {
        if (!_columns.TryGetValue((family, qualifier), out SortedDictionary<long, ByteString>? cells))
        {
            cells = [];
            _columns.Add((family, qualifier), cells);
        }

        return cells;
    }
}
