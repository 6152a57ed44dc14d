using System.Globalization;

namespace StreamingFeatures.Sources.Columns;

/// <summary>int64 values; timestamps as microseconds since the Unix epoch; dates as the microseconds of their midnight UTC.</summary>
public sealed class Int64Column : ColumnVector
{
    public Int64Column(long[] values, int count, bool[]? nulls = null, ColumnType type = ColumnType.Int64)
        : base(type, count, nulls)
    {
        if (type is not (ColumnType.Int64 or ColumnType.Timestamp or ColumnType.Date))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "An Int64Column holds Int64, Timestamp or Date values.");
        }

        Values = values;
    }

    public long[] Values { get; }

    public override string Describe(int row) => IsNull(row)
        ? "null"
        : Type switch
        {
            ColumnType.Timestamp => DateTime.UnixEpoch.AddTicks(Values[row] * 10).ToString("O", CultureInfo.InvariantCulture),
            ColumnType.Date when DateValues.IsDate(Values[row]) => DateValues.ToDateOnly(Values[row]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ColumnType.Date => Values[row].ToString(CultureInfo.InvariantCulture) + " µs (not a date)",
            _ => Values[row].ToString(CultureInfo.InvariantCulture),
        };
}
