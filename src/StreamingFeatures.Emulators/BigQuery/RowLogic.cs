using Apache.Arrow;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// <c>a AND b AND …</c>: false when any is false, else unknown when any is unknown, else true. Every term is
/// evaluated, as the result does not depend on the order.
/// </summary>
internal sealed class AndCondition(RowCondition[] terms) : RowCondition
{
    public override bool? Evaluate(RecordBatch batch, int index)
    {
        bool unknown = false;
        foreach (RowCondition term in terms)
        {
            bool? value = term.Evaluate(batch, index);
            if (value == false)
            {
                return false;
            }

            unknown |= value is null;
        }

        return unknown ? null : true;
    }
}

/// <summary><c>a OR b OR …</c>: true when any is true, else unknown when any is unknown, else false.</summary>
internal sealed class OrCondition(RowCondition[] terms) : RowCondition
{
    public override bool? Evaluate(RecordBatch batch, int index)
    {
        bool unknown = false;
        foreach (RowCondition term in terms)
        {
            bool? value = term.Evaluate(batch, index);
            if (value == true)
            {
                return true;
            }

            unknown |= value is null;
        }

        return unknown ? null : false;
    }
}

/// <summary><c>NOT a</c>: unknown stays unknown, so <c>NOT (x = 1)</c> does not select a row whose x is NULL.</summary>
internal sealed class NotCondition(RowCondition term) : RowCondition
{
    public override bool? Evaluate(RecordBatch batch, int index) => term.Evaluate(batch, index) is { } value ? !value : null;
}

/// <summary>A comparison with a NULL literal (<c>x = NULL</c>, <c>x IN (NULL)</c>): unknown for every row.</summary>
internal sealed class UnknownCondition : RowCondition
{
    public static readonly UnknownCondition Instance = new();

    public override bool? Evaluate(RecordBatch batch, int index) => null;
}
