using Google.Cloud.Bigtable.V2;
using Google.Protobuf;
using StreamingFeatures.Bigtable;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Tests.Pipeline;

/// <summary>One source row of <see cref="MapperTestData.Schema"/>; null means a null value.</summary>
internal sealed record InputRow(
    string? User,
    long? EventTime = MapperTestData.EventTime,
    long? Clicks = 42,
    double? Score = 0.25,
    bool? Active = true,
    string? Country = "SE");

/// <summary>
/// A small feature set of every value type, chunks built row by row, and the mapped entries decoded back into the
/// generated MutateRows message (and into the <see cref="Row"/> Bigtable would return for them).
/// </summary>
internal static class MapperTestData
{
    public const string TableName = "projects/p/instances/i/tables/user_features";
    public const int MaxEntryBytes = 1024 * 1024;

    /// <summary>2023-11-14T22:13:20.123456Z in microseconds, and its cell timestamp (floored to the millisecond).</summary>
    public const long EventTime = 1_700_000_000_123_456;
    public const long CellTimestamp = 1_700_000_000_123_000;

    public static SourceSchema Schema { get; } = new(
    [
        new SourceField("user_id", ColumnType.String),
        new SourceField("event_time", ColumnType.Timestamp),
        new SourceField("clicks", ColumnType.Int64),
        new SourceField("score", ColumnType.Float64),
        new SourceField("active", ColumnType.Bool),
        new SourceField("country", ColumnType.String),
    ]);

    /// <summary>clicks → agg:clicks_7d (int64), score → f:score (float64), active → f:active (bool), country → f:country (string, nullable).</summary>
    public static FeatureSetOptions FeatureSet(NullHandling nulls = NullHandling.Skip, RowKeyOptions? rowKey = null) => new()
    {
        Table = "user_features",
        EntityKey = ["user_id"],
        EventTime = "event_time",
        Families =
        {
            ["f"] = new ColumnFamilyOptions { MaxVersions = 1 },
            ["agg"] = new ColumnFamilyOptions { MaxVersions = 3 },
        },
        Features =
        [
            new FeatureOptions { Name = "clicks", Family = "agg", Qualifier = "clicks_7d", Type = FeatureType.Int64 },
            new FeatureOptions { Name = "score", Family = "f", Type = FeatureType.Float64 },
            new FeatureOptions { Name = "active", Family = "f", Type = FeatureType.Bool },
            new FeatureOptions { Name = "country", Family = "f", Type = FeatureType.String, Nullable = true },
        ],
        RowKey = rowKey ?? new RowKeyOptions(),
        Nulls = nulls,
    };

    public static RowMapper Mapper(NullHandling nulls = NullHandling.Skip, int maxEntryBytes = MaxEntryBytes, RowKeyOptions? rowKey = null) =>
        RowMapper.Create(FeatureSet(nulls, rowKey), Schema, maxEntryBytes);

    public static SourceChunk Chunk(int partition, long firstOffset, params IReadOnlyList<InputRow> rows)
    {
        int count = rows.Count;
        return new SourceChunk(partition, firstOffset, count,
        [
            BinaryColumn.FromStrings([.. rows.Select(r => r.User)]),
            new Int64Column([.. rows.Select(r => r.EventTime ?? 0)], count, Nulls(rows, r => r.EventTime is null), ColumnType.Timestamp),
            new Int64Column([.. rows.Select(r => r.Clicks ?? 0)], count, Nulls(rows, r => r.Clicks is null)),
            new Float64Column([.. rows.Select(r => r.Score ?? 0)], count, Nulls(rows, r => r.Score is null)),
            new BoolColumn([.. rows.Select(r => r.Active ?? false)], count, Nulls(rows, r => r.Active is null)),
            BinaryColumn.FromStrings([.. rows.Select(r => r.Country)]),
        ]);
    }

    /// <summary>Rows for <see cref="SyntheticSource.EntityId"/> <paramref name="first"/> onwards, otherwise alike.</summary>
    public static InputRow[] Users(int count, int first = 0, string? country = "SE") =>
        [.. Enumerable.Range(first, count).Select(i => new InputRow(SyntheticSource.EntityId(i), Country: country))];

    public static MappedChunk Map(RowMapper mapper, params IReadOnlyList<InputRow> rows) => mapper.Map(Chunk(0, 0, rows));

    /// <summary>Every row of <paramref name="rows"/> as the request the writer would send.</summary>
    public static MutateRowsRequest Decode(RowBuffer rows) =>
        MutateRowsMethod.ToMessage(new MutateRowsPayload(MutateRowsMethod.Header(TableName, null), rows, [.. Enumerable.Range(0, rows.RowCount)]));

    /// <summary>The row Bigtable would return after applying <paramref name="entry"/> to an empty table.</summary>
    public static Row ToStoredRow(MutateRowsRequest.Types.Entry entry)
    {
        var row = new Row { Key = entry.RowKey };
        foreach (Mutation mutation in entry.Mutations)
        {
            if (mutation.MutationCase != Mutation.MutationOneofCase.SetCell)
            {
                continue;
            }

            Mutation.Types.SetCell set = mutation.SetCell;
            AddCell(row, set.FamilyName, set.ColumnQualifier.ToStringUtf8(), new Cell { TimestampMicros = set.TimestampMicros, Value = set.Value });
        }

        return row;
    }

    /// <summary>Adds a cell, keeping Bigtable's order within a column: newest first.</summary>
    public static void AddCell(Row row, string family, string qualifier, Cell cell)
    {
        Family? target = row.Families.FirstOrDefault(f => f.Name == family);
        if (target is null)
        {
            target = new Family { Name = family };
            row.Families.Add(target);
        }

        Column? column = target.Columns.FirstOrDefault(c => c.Qualifier.ToStringUtf8() == qualifier);
        if (column is null)
        {
            column = new Column { Qualifier = ByteString.CopyFromUtf8(qualifier) };
            target.Columns.Add(column);
        }

        int at = 0;
        while (at < column.Cells.Count && column.Cells[at].TimestampMicros > cell.TimestampMicros)
        {
            at++;
        }

        column.Cells.Insert(at, cell);
    }

    private static bool[]? Nulls(IReadOnlyList<InputRow> rows, Func<InputRow, bool> isNull) =>
        rows.Any(isNull) ? [.. rows.Select(isNull)] : null;
}
