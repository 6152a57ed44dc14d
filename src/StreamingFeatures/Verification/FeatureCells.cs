namespace StreamingFeatures.Verification;

/// <summary>
/// The cells of one row read back that belong to features (feature, timestamp, value), values packed in one reusable
/// buffer: what a row digest needs, without Row, Family, Column and Cell objects.
/// </summary>
internal sealed class FeatureCells
{
    private Entry[] _cells = new Entry[16];
    private byte[] _values = new byte[256];

    public int Count { get; private set; }

    /// <summary>Bytes of values held so far; where the next value starts.</summary>
    public int ValueBytes { get; private set; }

    public int Feature(int cell) => _cells[cell].Feature;

    public long TimestampMicros(int cell) => _cells[cell].TimestampMicros;

    public ReadOnlySpan<byte> Value(int cell) => _values.AsSpan(_cells[cell].Start, _cells[cell].Length);

    public void Clear()
    {
        Count = 0;
        ValueBytes = 0;
    }

    /// <summary>Appends part of a value (a cell may arrive split over chunks); <see cref="Add"/> closes the cell.</summary>
    public void AppendValue(ReadOnlySpan<byte> part)
    {
        if (ValueBytes + part.Length > _values.Length)
        {
            Array.Resize(ref _values, Math.Max(_values.Length * 2, ValueBytes + part.Length));
        }

        part.CopyTo(_values.AsSpan(ValueBytes));
        ValueBytes += part.Length;
    }

    /// <summary>Adds the cell whose value is the bytes appended since <paramref name="valueStart"/>.</summary>
    public void Add(int feature, long timestampMicros, int valueStart)
    {
        if (Count == _cells.Length)
        {
            Array.Resize(ref _cells, _cells.Length * 2);
        }

        _cells[Count++] = new Entry(feature, timestampMicros, valueStart, ValueBytes - valueStart);
    }

    private readonly record struct Entry(int Feature, long TimestampMicros, int Start, int Length);
}
