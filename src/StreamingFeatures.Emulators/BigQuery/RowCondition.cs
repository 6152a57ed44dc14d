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

/// <summary>One comparison of a row restriction. A null value matches nothing, as in SQL.</summary>
internal abstract class RowCondition(int ordinal, Comparison comparison)
{
    protected int Ordinal { get; } = ordinal;

    public abstract bool Matches(RecordBatch batch, int index);

    protected bool Holds(int order) => comparison switch
    {
        Comparison.Equal => order == 0,
        Comparison.NotEqual => order != 0,
        Comparison.Less => order < 0,
        Comparison.LessOrEqual => order <= 0,
        Comparison.Greater => order > 0,
        _ => order >= 0,
    };
}

/// <summary>An INT64 or TIMESTAMP column (microseconds), or <c>MOD(column, divisor)</c>, against an integer.</summary>
internal sealed class Int64Condition(int ordinal, Comparison comparison, long literal, long? divisor) : RowCondition(ordinal, comparison)
{
    public override bool Matches(RecordBatch batch, int index)
    {
        if (((PrimitiveArray<long>)batch.Column(Ordinal)).GetValue(index) is not { } value)
        {
            return false;
        }

        // BigQuery's MOD takes the sign of the dividend, as C#'s remainder does.
        long left = divisor is { } d ? value % d : value;
        return Holds(left.CompareTo(literal));
    }
}

/// <summary>A FLOAT64 column, or an INT64 one widened to FLOAT64, against a number.</summary>
internal sealed class DoubleCondition(int ordinal, Comparison comparison, double literal) : RowCondition(ordinal, comparison)
{
    public override bool Matches(RecordBatch batch, int index)
    {
        double? value = batch.Column(Ordinal) switch
        {
            DoubleArray doubles => doubles.GetValue(index),
            Int64Array longs => longs.GetValue(index),
            _ => null,
        };
        return value is { } v && !double.IsNaN(v) && !double.IsNaN(literal) && Holds(v.CompareTo(literal));
    }
}

/// <summary>A STRING column against a string, in UTF-8 byte order (code point order, as BigQuery compares).</summary>
internal sealed class StringCondition(int ordinal, Comparison comparison, byte[] literal) : RowCondition(ordinal, comparison)
{
    public override bool Matches(RecordBatch batch, int index)
    {
        var strings = (BinaryArray)batch.Column(Ordinal);
        return !strings.IsNull(index) && Holds(strings.GetBytes(index).SequenceCompareTo(literal));
    }
}

/// <summary>A BOOL column against TRUE or FALSE.</summary>
internal sealed class BoolCondition(int ordinal, Comparison comparison, bool literal) : RowCondition(ordinal, comparison)
{
    public override bool Matches(RecordBatch batch, int index) =>
        ((BooleanArray)batch.Column(Ordinal)).GetValue(index) is { } value && Holds(value.CompareTo(literal));
}

/// <summary>A row restriction: the AND of its conditions.</summary>
internal sealed class RowFilter(IReadOnlyList<RowCondition> conditions)
{
    public bool Matches(RecordBatch batch, int index)
    {
        foreach (RowCondition condition in conditions)
        {
            if (!condition.Matches(batch, index))
            {
                return false;
            }
        }

        return true;
    }
}
