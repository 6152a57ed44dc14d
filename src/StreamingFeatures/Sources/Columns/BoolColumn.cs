namespace StreamingFeatures.Sources.Columns;

public sealed class BoolColumn(bool[] values, int count, bool[]? nulls = null) : ColumnVector(ColumnType.Bool, count, nulls)
{
    public bool[] Values { get; } = values;

    public override string Describe(int row) => IsNull(row) ? "null" : Values[row] ? "true" : "false";
}
