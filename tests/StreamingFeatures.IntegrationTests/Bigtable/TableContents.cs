using Google.Cloud.Bigtable.V2;
using Google.Protobuf;

namespace StreamingFeatures.IntegrationTests.Bigtable;

/// <summary>Cells as a flat, comparable set: (row key, family, qualifier, timestamp) → value.</summary>
internal sealed class TableContents
{
    private readonly Dictionary<(string Key, string Family, string Qualifier, long Timestamp), ByteString> _cells = [];

    public int Count => _cells.Count;

    public IEnumerable<string> RowKeys => _cells.Keys.Select(c => c.Key).Distinct();

    public void Add(string key, string family, string qualifier, long timestamp, ByteString value) =>
        _cells.Add((key, family, qualifier, timestamp), value);

    public static TableContents FromRows(IEnumerable<Row> rows)
    {
        var contents = new TableContents();
        foreach (Row row in rows)
        {
            foreach (Family family in row.Families)
            {
                foreach (Column column in family.Columns)
                {
                    foreach (Cell cell in column.Cells)
                    {
                        contents.Add(row.Key.ToStringUtf8(), family.Name, column.Qualifier.ToStringUtf8(), cell.TimestampMicros, cell.Value);
                    }
                }
            }
        }

        return contents;
    }

    /// <summary>Every difference, described: cells missing from <paramref name="actual"/>, changed, or unexpected.</summary>
    public IReadOnlyList<string> Differences(TableContents actual)
    {
        var differences = new List<string>();
        foreach (var (cell, value) in _cells)
        {
            if (!actual._cells.TryGetValue(cell, out ByteString? found))
            {
                differences.Add($"missing {cell}");
            }
            else if (found != value)
            {
                differences.Add($"changed {cell}: {found.Length} bytes, expected {value.Length}");
            }
        }

        differences.AddRange(actual._cells.Keys.Where(cell => !_cells.ContainsKey(cell)).Select(cell => $"unexpected {cell}"));
        return differences;
    }
}
