using Apache.Arrow;

namespace StreamingFeatures.Emulators.BigQuery;

internal enum Comparison
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>
/// One condition of a row restriction, evaluated on a row of a record batch in SQL's three-valued logic: true, false,
/// or null (unknown) when a value compared is NULL. A row passes only when the whole restriction is true, so a
/// comparison with NULL never selects a row, and neither does its NOT.
/// </summary>
internal abstract class RowCondition
{
    public abstract bool? Evaluate(RecordBatch batch, int index);

    protected static bool Holds(Comparison comparison, int order) => comparison switch
    {
        Comparison.Equal => order == 0,
        Comparison.NotEqual => order != 0,
        Comparison.Less => order < 0,
        Comparison.LessOrEqual => order <= 0,
        Comparison.Greater => order > 0,
        _ => order >= 0,
    };
}

/// <summary>An INT64 or TIMESTAMP column (microseconds) against an integer.</summary>
internal sealed class Int64Condition(int ordinal, Comparison comparison, long literal) : RowCondition
{
    public override bool? Evaluate(RecordBatch batch, int index)
    {
        var values = (PrimitiveArray<long>)batch.Column(ordinal);
        return values.IsNull(index) ? null : Holds(comparison, values.Values[index].CompareTo(literal));
    }
}

/// <summary>An INT64 expression (<c>MOD</c>, <c>ABS</c>, <c>COALESCE</c>, <c>FARM_FINGERPRINT</c>…) against an integer.</summary>
internal sealed class Int64ExpressionCondition(Int64Expression expression, Comparison comparison, long literal) : RowCondition
{
    public override bool? Evaluate(RecordBatch batch, int index) =>
        expression.TryEvaluate(batch, index, out long value) ? Holds(comparison, value.CompareTo(literal)) : null;
}

/// <summary>A FLOAT64 column, or an INT64 one widened to FLOAT64, against a number.</summary>
internal sealed class DoubleCondition(int ordinal, Comparison comparison, double literal) : RowCondition
{
    public override bool? Evaluate(RecordBatch batch, int index)
    {
        double? value = batch.Column(ordinal) switch
        {
            DoubleArray doubles => doubles.GetValue(index),
            Int64Array longs => longs.GetValue(index),
            _ => null,
        };
        return value is not { } v ? null : !double.IsNaN(v) && !double.IsNaN(literal) && Holds(comparison, v.CompareTo(literal));
    }
}

/// <summary>A STRING column against a string, in UTF-8 byte order (code point order, as BigQuery compares).</summary>
internal sealed class StringCondition(int ordinal, Comparison comparison, byte[] literal) : RowCondition
{
    public override bool? Evaluate(RecordBatch batch, int index)
    {
        var strings = (BinaryArray)batch.Column(ordinal);
        return strings.IsNull(index) ? null : Holds(comparison, strings.GetBytes(index).SequenceCompareTo(literal));
    }
}

/// <summary>A BOOL column against TRUE or FALSE (a bare BOOL column is <c>column = TRUE</c>).</summary>
internal sealed class BoolCondition(int ordinal, Comparison comparison, bool literal) : RowCondition
{
    public override bool? Evaluate(RecordBatch batch, int index) =>
        ((BooleanArray)batch.Column(ordinal)).GetValue(index) is { } value ? Holds(comparison, value.CompareTo(literal)) : null;
}

/// <summary><c>column IS [NOT] NULL</c>: never unknown.</summary>
internal sealed class NullCondition(int ordinal, bool isNull) : RowCondition
{
    public override bool? Evaluate(RecordBatch batch, int index) => batch.Column(ordinal).IsNull(index) == isNull;
}

/// <summary><c>expression IS [NOT] NULL</c> for an INT64 expression.</summary>
internal sealed class Int64ExpressionNullCondition(Int64Expression expression, bool isNull) : RowCondition
{
    public override bool? Evaluate(RecordBatch batch, int index) => !expression.TryEvaluate(batch, index, out _) == isNull;
}

/// <summary>A row restriction: a row passes when its condition is true (not false, not unknown).</summary>
internal sealed class RowFilter(RowCondition condition)
{
    public bool Matches(RecordBatch batch, int index) => condition.Evaluate(batch, index) == true;
}
