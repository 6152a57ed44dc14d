using System.Globalization;
using System.Text;
using System.Threading.Tasks.Dataflow;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.IntegrationTests.BigQuerySource;

/// <summary>
/// A table with every BigQuery type the engine reads, each as a NOT NULL column (<c>x_req</c>) and a NULLABLE one
/// (<c>x_opt</c>, null in rows 1, 4 and 7 when asked), holding edge values; and the feature set that writes them all.
/// </summary>
internal static class AllTypesTable
{
    public const int Rows = 8;
    public const string Family = "f";
    public const string MaxNumeric = "99999999999999999999999999999.999999999";

    public static readonly string[] Kinds = ["i64", "f64", "bool", "str", "bytes", "ts", "date", "num"];

    public static readonly long[] Int64s = [long.MinValue, long.MaxValue, 0, -1, 1, 42, -42, 9_007_199_254_740_993];

    public static readonly double[] Float64s = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, double.MaxValue, 1.5];

    public static readonly bool[] Bools = [true, false, true, false, false, true, true, false];

    public static readonly string[] Strings = ["", "Sé", "日本語 🚀", "a\0b", "e\u0301", new string('z', 1_000), "#\\", "last"];

    public static readonly byte[][] Bytes = [[], [0], [255, 0, 1], [1], [.. Enumerable.Range(0, 256).Select(i => (byte)i)], [0x23], [0xFF], [7, 7]];

    /// <summary>0001-01-01, 9999-12-31T23:59:59.999999, one micro before the epoch, the epoch, a year before it, …</summary>
    public static readonly long[] Timestamps =
        [-62_135_596_800_000_000, 253_402_300_799_999_999, -1, 0, -31_536_000_000_000, 1_700_000_000_123_456, 1, -123_456_789];

    public static readonly DateOnly[] Dates =
    [
        DateOnly.MinValue, DateOnly.MaxValue, new(1969, 12, 31), new(1970, 1, 1), new(2024, 2, 29), new(1900, 1, 1), new(2000, 12, 31), new(1582, 10, 15),
    ];

    public static readonly string[] Numerics = [MaxNumeric, "-" + MaxNumeric, "-0.000000001", "0", "1.5", "0.000000001", "12345678901234567890.123456789", "-7"];

    public static readonly string[] ExpectedNumericText = [MaxNumeric, "-" + MaxNumeric, "-0.000000001", "0", "1.5", "0.000000001", "12345678901234567890.123456789", "-7"];

    public static string Entity(int row) => $"e{row}";

    public static bool IsNull(int row) => row % 3 == 1;

    public static SourceSchema Schema()
    {
        var fields = new List<SourceField> { new("id", ColumnType.String, false), new("event_time", ColumnType.Timestamp, false) };
        ColumnType[] types = [ColumnType.Int64, ColumnType.Float64, ColumnType.Bool, ColumnType.String, ColumnType.Bytes, ColumnType.Timestamp, ColumnType.Date, ColumnType.Numeric];
        for (int k = 0; k < Kinds.Length; k++)
        {
            fields.Add(new SourceField(Kinds[k] + "_req", types[k], Nullable: false));
            fields.Add(new SourceField(Kinds[k] + "_opt", types[k], Nullable: true));
        }

        return new SourceSchema(fields);
    }

    /// <summary>The rows as one chunk per half, event time <paramref name="eventBase"/> + row ms.</summary>
    public static IRowSource Source(bool nulls, long eventBase)
    {
        SourceChunk Half(int partition, int first, int count)
        {
            bool[]? mask = nulls ? [.. Enumerable.Range(first, count).Select(IsNull)] : null;
            var columns = new List<ColumnVector>
            {
                BinaryColumn.FromStrings([.. Enumerable.Range(first, count).Select(Entity)]),
                new Int64Column([.. Enumerable.Range(first, count).Select(r => eventBase + (r * 1_000L))], count, type: ColumnType.Timestamp),
            };
            foreach (bool[]? m in new[] { null, mask })
            {
                columns.Add(new Int64Column(Int64s[first..(first + count)], count, m));
            }

            foreach (bool[]? m in new[] { null, mask })
            {
                columns.Add(new Float64Column(Float64s[first..(first + count)], count, m));
            }

            foreach (bool[]? m in new[] { null, mask })
            {
                columns.Add(new BoolColumn(Bools[first..(first + count)], count, m));
            }

            foreach (bool[]? m in new[] { null, mask })
            {
                columns.Add(Binary(Strings[first..(first + count)].Select(Encoding.UTF8.GetBytes).ToArray(), m, ColumnType.String));
            }

            foreach (bool[]? m in new[] { null, mask })
            {
                columns.Add(Binary(Bytes[first..(first + count)], m, ColumnType.Bytes));
            }

            foreach (bool[]? m in new[] { null, mask })
            {
                columns.Add(new Int64Column(Timestamps[first..(first + count)], count, m, ColumnType.Timestamp));
            }

            foreach (bool[]? m in new[] { null, mask })
            {
                columns.Add(new Int64Column([.. Dates[first..(first + count)].Select(DateValues.FromDate)], count, m, ColumnType.Date));
            }

            foreach (bool[]? m in new[] { null, mask })
            {
                NumericColumn parsed = NumericColumn.FromStrings(Numerics[first..(first + count)]);
                columns.Add(new NumericColumn(parsed.Values, parsed.Scale, count, m));
            }

            return new SourceChunk(partition, 0, count, columns);
        }

        return new ChunkSource(Schema(), [Half(0, 0, Rows / 2), Half(1, Rows / 2, Rows / 2)]);
    }

    /// <summary>One feature per column in its own type; NUMERIC as Float64 and String, DATE as Timestamp and String.</summary>
    public static FeatureSetOptions FeatureSet(string table, NullHandling nulls)
    {
        var features = new List<FeatureOptions>();
        FeatureType[] types = [FeatureType.Int64, FeatureType.Float64, FeatureType.Bool, FeatureType.String, FeatureType.Bytes, FeatureType.Timestamp];
        foreach (string variant in new[] { "_req", "_opt" })
        {
            bool nullable = variant == "_opt";
            for (int k = 0; k < types.Length; k++)
            {
                features.Add(new FeatureOptions { Name = Kinds[k] + variant, Family = Family, Type = types[k], Nullable = nullable });
            }

            features.Add(new FeatureOptions { Name = "date" + variant, Family = Family, Type = FeatureType.Timestamp, Nullable = nullable });
            features.Add(new FeatureOptions { Name = "date" + variant + "_s", Column = "date" + variant, Family = Family, Type = FeatureType.String, Nullable = nullable });
            features.Add(new FeatureOptions { Name = "num" + variant + "_f", Column = "num" + variant, Family = Family, Type = FeatureType.Float64, Nullable = nullable });
            features.Add(new FeatureOptions { Name = "num" + variant + "_s", Column = "num" + variant, Family = Family, Type = FeatureType.String, Nullable = nullable });
        }

        return new FeatureSetOptions
        {
            Table = table,
            EntityKey = ["id"],
            EventTime = "event_time",
            Families = { [Family] = new ColumnFamilyOptions { MaxVersions = 5 } },
            Features = features,
            Nulls = nulls,
        };
    }

    /// <summary>The exact cell bytes (BINARY encoding) feature <paramref name="qualifier"/> holds for <paramref name="row"/>.</summary>
    public static byte[] ExpectedCell(string qualifier, int row) => qualifier.Split('_') switch
    {
        ["i64", _] => CellEncoding.Int64(Int64s[row]),
        ["f64", _] => CellEncoding.Float64(Float64s[row]),
        ["bool", _] => [Bools[row] ? (byte)1 : (byte)0],
        ["str", _] => Encoding.UTF8.GetBytes(Strings[row]),
        ["bytes", _] => Bytes[row],
        ["ts", _] => CellEncoding.Int64(Timestamps[row]),
        ["date", _] => CellEncoding.Int64(DateValues.FromDate(Dates[row])),
        ["date", _, "s"] => Encoding.ASCII.GetBytes(Dates[row].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ["num", _, "f"] => CellEncoding.Float64(double.Parse(Numerics[row], CultureInfo.InvariantCulture)),
        ["num", _, "s"] => Encoding.ASCII.GetBytes(ExpectedNumericText[row]),
        _ => throw new ArgumentException($"No feature {qualifier}.", nameof(qualifier)),
    };

    private static BinaryColumn Binary(byte[][] values, bool[]? nulls, ColumnType type)
    {
        var offsets = new int[values.Length + 1];
        for (int i = 0; i < values.Length; i++)
        {
            offsets[i + 1] = offsets[i] + values[i].Length;
        }

        return new BinaryColumn([.. values.SelectMany(v => v)], offsets, values.Length, nulls, type);
    }

    private sealed class ChunkSource(SourceSchema schema, IReadOnlyList<SourceChunk> chunks) : IRowSource
    {
        public SourceSchema Schema => schema;

        public string Description => "all-types";

        public long? ExpectedRows => chunks.Sum(c => c.RowCount);

        public async Task RunAsync(ITargetBlock<SourceChunk> target, CancellationToken cancellationToken)
        {
            foreach (SourceChunk chunk in chunks)
            {
                await target.SendAsync(chunk, cancellationToken);
            }
        }
    }
}
