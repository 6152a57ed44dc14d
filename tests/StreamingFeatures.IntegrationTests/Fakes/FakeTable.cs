using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using Chunk = Google.Cloud.Bigtable.V2.ReadRowsResponse.Types.CellChunk;

namespace StreamingFeatures.IntegrationTests.Fakes;

/// <summary>
/// The rows that landed in the fake Bigtable: key → cells, and how many times an entry for the key was applied
/// (a retry that resends a delivered entry shows up as 2). Supports the mutations the engine sends (SetCell and
/// DeleteFromColumn) plus whole-family and whole-row deletes. Thread-safe.
/// </summary>
internal sealed class FakeTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ByteString, FakeRow> _rows = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rows.Count;
            }
        }
    }

    /// <summary>A copy of the table now.</summary>
    public IReadOnlyDictionary<ByteString, FakeRow> Snapshot()
    {
        lock (_gate)
        {
            return _rows.ToDictionary(r => r.Key, r => r.Value with { Cells = new Dictionary<FakeCellId, ByteString>(r.Value.Cells) });
        }
    }

    public void Apply(MutateRowsRequest.Types.Entry entry)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(entry.RowKey, out FakeRow? row))
            {
                row = new FakeRow(entry.RowKey, new Dictionary<FakeCellId, ByteString>(), 0);
            }

            var cells = (Dictionary<FakeCellId, ByteString>)row.Cells;
            foreach (Mutation mutation in entry.Mutations)
            {
                switch (mutation.MutationCase)
                {
                    case Mutation.MutationOneofCase.SetCell:
                        Mutation.Types.SetCell set = mutation.SetCell;
                        cells[new FakeCellId(set.FamilyName, set.ColumnQualifier, set.TimestampMicros)] = set.Value;
                        break;
                    case Mutation.MutationOneofCase.DeleteFromColumn:
                        Mutation.Types.DeleteFromColumn delete = mutation.DeleteFromColumn;
                        long start = delete.TimeRange?.StartTimestampMicros ?? 0;
                        long end = delete.TimeRange is { EndTimestampMicros: > 0 } range ? range.EndTimestampMicros : long.MaxValue;
                        Remove(cells, id => id.Family == delete.FamilyName && id.Qualifier == delete.ColumnQualifier && id.TimestampMicros >= start && id.TimestampMicros < end);
                        break;
                    case Mutation.MutationOneofCase.DeleteFromFamily:
                        Remove(cells, id => id.Family == mutation.DeleteFromFamily.FamilyName);
                        break;
                    case Mutation.MutationOneofCase.DeleteFromRow:
                        cells.Clear();
                        break;
                    default:
                        throw new NotSupportedException($"The fake Bigtable does not apply {mutation.MutationCase} mutations.");
                }
            }

            _rows[entry.RowKey] = row with { Applied = row.Applied + 1 };
        }
    }

    /// <summary>
    /// The rows asked for (all when <paramref name="rows"/> names none), in key order, as ReadRows chunks: one response
    /// per row; cells by family, qualifier, then newest first, as Bigtable returns them.
    /// </summary>
    public IEnumerable<ReadRowsResponse> Read(RowSet? rows)
    {
        List<FakeRow> selected;
        lock (_gate)
        {
            selected = rows is null || rows.RowKeys.Count == 0
                ? [.. _rows.Values]
                : [.. rows.RowKeys.Distinct().Select(k => _rows.GetValueOrDefault(k)).OfType<FakeRow>()];
            selected = [.. selected.Select(r => r with { Cells = new Dictionary<FakeCellId, ByteString>(r.Cells) })];
        }

        selected.Sort((a, b) => a.Key.Span.SequenceCompareTo(b.Key.Span));
        foreach (FakeRow row in selected)
        {
            var response = new ReadRowsResponse();
            string? family = null;
            ByteString? qualifier = null;
            foreach (KeyValuePair<FakeCellId, ByteString> cell in row.Cells
                .OrderBy(c => c.Key.Family, StringComparer.Ordinal)
                .ThenBy(c => c.Key.Qualifier.ToByteArray(), ByteComparer.Instance)
                .ThenByDescending(c => c.Key.TimestampMicros))
            {
                var chunk = new Chunk { TimestampMicros = cell.Key.TimestampMicros, Value = cell.Value };
                if (response.Chunks.Count == 0)
                {
                    chunk.RowKey = row.Key;
                }

                if (cell.Key.Family != family)
                {
                    family = cell.Key.Family;
                    chunk.FamilyName = family;
                    chunk.Qualifier = qualifier = cell.Key.Qualifier;
                }
                else if (cell.Key.Qualifier != qualifier)
                {
                    chunk.Qualifier = qualifier = cell.Key.Qualifier;
                }

                response.Chunks.Add(chunk);
            }

            if (response.Chunks.Count > 0)
            {
                response.Chunks[^1].CommitRow = true;
                yield return response;
            }
        }
    }

    private static void Remove(Dictionary<FakeCellId, ByteString> cells, Func<FakeCellId, bool> match)
    {
        foreach (FakeCellId id in cells.Keys.Where(match).ToList())
        {
            cells.Remove(id);
        }
    }

    private sealed class ByteComparer : IComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y.AsSpan());
    }
}

/// <summary>A cell's coordinates within its row.</summary>
internal readonly record struct FakeCellId(string Family, ByteString Qualifier, long TimestampMicros);

/// <summary>A row of the fake table: its cells, and how many entries for its key were applied.</summary>
internal sealed record FakeRow(ByteString Key, IReadOnlyDictionary<FakeCellId, ByteString> Cells, int Applied);
