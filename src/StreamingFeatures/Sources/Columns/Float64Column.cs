using System.Globalization;

namespace StreamingFeatures.Sources.Columns;

public sealed class Float64Column(double[] values, int count, bool[]? nulls = null) : ColumnVector(ColumnType.Float64, count, nulls)
{
    public double[] Values { get; } = values;

    public override string Describe(int row) => IsNull(row) ? "null" : Values[row].ToString("R", CultureInfo.InvariantCulture);
}
