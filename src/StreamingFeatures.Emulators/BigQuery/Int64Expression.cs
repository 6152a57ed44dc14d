using System.Buffers;
using Apache.Arrow;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// An INT64 value of a row restriction, computed per row without allocating. <see cref="TryEvaluate"/> is false when
/// the value is NULL. Stateless, so one instance serves every stream and call at once.
/// </summary>
internal abstract class Int64Expression
{
    public abstract bool TryEvaluate(RecordBatch batch, int index, out long value);
}

/// <summary>An INT64 column.</summary>
internal sealed class Int64ColumnExpression(int ordinal) : Int64Expression
{
    public override bool TryEvaluate(RecordBatch batch, int index, out long value)
    {
        var values = (PrimitiveArray<long>)batch.Column(ordinal);
        bool present = !values.IsNull(index);
        value = present ? values.Values[index] : 0;
        return present;
    }
}

/// <summary>An integer literal.</summary>
internal sealed class Int64LiteralExpression(long literal) : Int64Expression
{
    public override bool TryEvaluate(RecordBatch batch, int index, out long value)
    {
        value = literal;
        return true;
    }
}

/// <summary><c>MOD(x, n)</c>: the sign of the dividend, as BigQuery's MOD (and C#'s remainder) gives; n is a non-zero literal.</summary>
internal sealed class ModExpression(Int64Expression dividend, long divisor) : Int64Expression
{
    public override bool TryEvaluate(RecordBatch batch, int index, out long value)
    {
        bool present = dividend.TryEvaluate(batch, index, out long x);

        // long.MinValue % -1 throws in .NET; the remainder is 0.
        value = present && divisor != -1 ? x % divisor : 0;
        return present;
    }
}

/// <summary><c>ABS(x)</c>. BigQuery fails on ABS(INT64 min); here it wraps, which the shard form (ABS after MOD) never reaches.</summary>
internal sealed class AbsExpression(Int64Expression argument) : Int64Expression
{
    public override bool TryEvaluate(RecordBatch batch, int index, out long value)
    {
        bool present = argument.TryEvaluate(batch, index, out long x);
        value = x < 0 ? unchecked(-x) : x;
        return present;
    }
}

/// <summary><c>COALESCE(a, b, …)</c>: the first non-NULL argument.</summary>
internal sealed class CoalesceExpression(Int64Expression[] arguments) : Int64Expression
{
    public override bool TryEvaluate(RecordBatch batch, int index, out long value)
    {
        foreach (Int64Expression argument in arguments)
        {
            if (argument.TryEvaluate(batch, index, out value))
            {
                return true;
            }
        }

        value = 0;
        return false;
    }
}

/// <summary><c>FARM_FINGERPRINT(x)</c> of a STRING or BYTES value; NULL for NULL.</summary>
internal sealed class FingerprintExpression(BytesExpression argument) : Int64Expression
{
    private const int StackBytes = 256;

    public override bool TryEvaluate(RecordBatch batch, int index, out long value)
    {
        value = 0;
        if (argument is BinaryColumnExpression column)
        {
            // The common case hashes the column's bytes where they are.
            var values = (BinaryArray)batch.Column(column.Ordinal);
            if (values.IsNull(index))
            {
                return false;
            }

            value = FarmFingerprint.Fingerprint64(values.GetBytes(index));
            return true;
        }

        int max = argument.MaxLength(batch, index);
        if (max < 0)
        {
            return false;
        }

        byte[]? rented = null;
        Span<byte> buffer = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int length = argument.Write(batch, index, buffer);
            if (length < 0)
            {
                return false;
            }

            value = FarmFingerprint.Fingerprint64(buffer[..length]);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
