using System.Text.Json;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// Collects one column of a chunk from JSON values (or attribute text) into plain arrays, without boxing. A row is
/// appended value by value; when a message turns out to be poison, <see cref="Truncate"/> takes its values back out.
/// </summary>
internal abstract partial class JsonColumnBuilder(int capacity)
{
    protected int Capacity { get; } = capacity;

    public int Count { get; protected set; }

    protected bool[]? Nulls { get; set; }

    public static JsonColumnBuilder Create(ColumnType type, int capacity) => type switch
    {
        ColumnType.Int64 or ColumnType.Timestamp => new Int64Builder(type, capacity),
        ColumnType.Float64 => new Float64Builder(capacity),
        ColumnType.Bool => new BoolBuilder(capacity),
        ColumnType.String or ColumnType.Bytes => new BinaryBuilder(type, capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No JSON reading for this column type."),
    };

    public bool IsNull(int row) => Nulls is not null && Nulls[row];

    public void AppendNull()
    {
        (Nulls ??= new bool[Capacity])[Count] = true;
        AppendDefault();
        Count++;
    }

    /// <summary>
    /// Appends the non-null JSON value the reader is on; false, appending nothing, when it is not of the column's
    /// type. <paramref name="numbersAsText"/>: a String column takes a JSON number as its text (entity keys).
    /// </summary>
    public bool TryAppend(ref Utf8JsonReader reader, bool numbersAsText)
    {
        if (!TryAppendJson(ref reader, numbersAsText))
        {
            return false;
        }

        MarkNotNull();
        return true;
    }

    /// <summary>Appends an attribute's text parsed to the column's type; false, appending nothing, when it does not parse.</summary>
    public bool TryAppendText(string text)
    {
        if (!TryAppendTextValue(text))
        {
            return false;
        }

        MarkNotNull();
        return true;
    }

    public void Truncate(int count) => Count = Math.Min(Count, count);

    /// <summary>The rows so far as a column vector; the builder starts over with new arrays.</summary>
    public ColumnVector Build()
    {
        ColumnVector column = BuildColumn(Count, Nulls);
        Nulls = null;
        Count = 0;
        return column;
    }

    protected void MarkNotNull()
    {
        if (Nulls is not null)
        {
            Nulls[Count] = false;
        }

        Count++;
    }

    protected abstract bool TryAppendJson(ref Utf8JsonReader reader, bool numbersAsText);

    protected abstract bool TryAppendTextValue(string text);

    protected virtual void AppendDefault()
    {
    }

    protected abstract ColumnVector BuildColumn(int count, bool[]? nulls);
}
