using System.Globalization;

namespace StreamingFeatures.Sources.Columns;

/// <summary>int64 values, or timestamps as microseconds since the Unix epoch.</summary>
public sealed class Int64Column : ColumnVector
{
    public Int64Column(long[] values, int count, bool[]? nulls = null, ColumnType type = ColumnType.Int64)
        : base(type, count, nulls)
    {
        if (type is not (ColumnType.Int64 or ColumnType.Timestamp))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "An Int64Column holds Int64 or Timestamp values.");
        }

        Values = values;
    }

    public long[] Values { get; }

    public override string Describe(int row) => IsNull(row)
        ? "null"
        : Type == ColumnType.Timestamp
            ? DateTime.UnixEpoch.AddTicks(Values[row] * 10).ToString("O", CultureInfo.InvariantCulture)
            : Values[row].ToString(CultureInfo.InvariantCulture);
}
