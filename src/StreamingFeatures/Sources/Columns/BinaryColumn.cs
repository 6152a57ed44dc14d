using System.Text;

namespace StreamingFeatures.Sources.Columns;

/// <summary>
/// Variable-length values (UTF-8 strings or bytes) laid out as Arrow does: one data buffer and
/// <c>count + 1</c> offsets, value <c>i</c> being <c>Data[Offsets[i]..Offsets[i + 1]]</c>.
/// </summary>
public sealed class BinaryColumn : ColumnVector
{
    private const int DescribeLimit = 256;

    public BinaryColumn(byte[] data, int[] offsets, int count, bool[]? nulls = null, ColumnType type = ColumnType.String)
        : base(type, count, nulls)
    {
        if (type is not (ColumnType.String or ColumnType.Bytes))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "A BinaryColumn holds String or Bytes values.");
        }

        if (offsets.Length < count + 1)
        {
            throw new ArgumentException($"{count} values need {count + 1} offsets; got {offsets.Length}.", nameof(offsets));
        }

        Data = data;
        Offsets = offsets;
    }

    public byte[] Data { get; }

    public int[] Offsets { get; }

    public ReadOnlySpan<byte> Get(int row) => Data.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>Builds a string column from .NET strings (tests, small sources).</summary>
    public static BinaryColumn FromStrings(IReadOnlyList<string?> values)
    {
        var offsets = new int[values.Count + 1];
        bool[]? nulls = null;
        var data = new List<byte>();
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i] is { } value)
            {
                data.AddRange(Encoding.UTF8.GetBytes(value));
            }
            else
            {
                (nulls ??= new bool[values.Count])[i] = true;
            }

            offsets[i + 1] = data.Count;
        }

        return new BinaryColumn([.. data], offsets, values.Count, nulls);
    }

    public override string Describe(int row)
    {
        if (IsNull(row))
        {
            return "null";
        }

        ReadOnlySpan<byte> value = Get(row);
        string text = Type == ColumnType.String
            ? Encoding.UTF8.GetString(value[..Math.Min(value.Length, DescribeLimit)])
            : Convert.ToHexString(value[..Math.Min(value.Length, DescribeLimit / 2)]);
        return value.Length > DescribeLimit / 2 ? $"{text}… ({value.Length} bytes)" : text;
    }
}
