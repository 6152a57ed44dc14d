using System.Buffers.Text;
using Apache.Arrow;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// A STRING (UTF-8) or BYTES value of a row restriction, written into a caller's buffer so a row costs no allocation:
/// <see cref="MaxLength"/> bounds the bytes (negative when the value is NULL), <see cref="Write"/> writes them and
/// returns their count (negative when NULL).
/// </summary>
internal abstract class BytesExpression
{
    public abstract int MaxLength(RecordBatch batch, int index);

    public abstract int Write(RecordBatch batch, int index, Span<byte> destination);
}

/// <summary>A STRING or BYTES column.</summary>
internal sealed class BinaryColumnExpression(int ordinal) : BytesExpression
{
    public int Ordinal { get; } = ordinal;

    public override int MaxLength(RecordBatch batch, int index)
    {
        var values = (BinaryArray)batch.Column(Ordinal);
        return values.IsNull(index) ? -1 : values.GetValueLength(index);
    }

    public override int Write(RecordBatch batch, int index, Span<byte> destination)
    {
        var values = (BinaryArray)batch.Column(Ordinal);
        if (values.IsNull(index))
        {
            return -1;
        }

        ReadOnlySpan<byte> bytes = values.GetBytes(index);
        bytes.CopyTo(destination);
        return bytes.Length;
    }
}

/// <summary>A string literal, as UTF-8.</summary>
internal sealed class BytesLiteralExpression(byte[] literal) : BytesExpression
{
    public override int MaxLength(RecordBatch batch, int index) => literal.Length;

    public override int Write(RecordBatch batch, int index, Span<byte> destination)
    {
        literal.CopyTo(destination);
        return literal.Length;
    }
}

/// <summary><c>CAST(x AS STRING)</c> of an INT64: its decimal text, formatted in place.</summary>
internal sealed class Int64TextExpression(Int64Expression argument) : BytesExpression
{
    private const int MaxDigits = 20;

    public override int MaxLength(RecordBatch batch, int index) => argument.TryEvaluate(batch, index, out _) ? MaxDigits : -1;

    public override int Write(RecordBatch batch, int index, Span<byte> destination)
    {
        if (!argument.TryEvaluate(batch, index, out long value))
        {
            return -1;
        }

        Utf8Formatter.TryFormat(value, destination, out int written);
        return written;
    }
}

/// <summary><c>CAST(x AS STRING)</c> of a BOOL column: <c>true</c> or <c>false</c>, as BigQuery writes them.</summary>
internal sealed class BoolTextExpression(int ordinal) : BytesExpression
{
    public override int MaxLength(RecordBatch batch, int index) => batch.Column(ordinal).IsNull(index) ? -1 : 5;

    public override int Write(RecordBatch batch, int index, Span<byte> destination)
    {
        if (((BooleanArray)batch.Column(ordinal)).GetValue(index) is not { } value)
        {
            return -1;
        }

        ReadOnlySpan<byte> text = value ? "true"u8 : "false"u8;
        text.CopyTo(destination);
        return text.Length;
    }
}

/// <summary><c>CONCAT(a, b, …)</c>: NULL when any argument is NULL, as in BigQuery.</summary>
internal sealed class ConcatExpression(BytesExpression[] arguments) : BytesExpression
{
    public override int MaxLength(RecordBatch batch, int index)
    {
        int total = 0;
        foreach (BytesExpression argument in arguments)
        {
            int length = argument.MaxLength(batch, index);
            if (length < 0)
            {
                return -1;
            }

            total += length;
        }

        return total;
    }

    public override int Write(RecordBatch batch, int index, Span<byte> destination)
    {
        int at = 0;
        foreach (BytesExpression argument in arguments)
        {
            int written = argument.Write(batch, index, destination[at..]);
            if (written < 0)
            {
                return -1;
            }

            at += written;
        }

        return at;
    }
}
