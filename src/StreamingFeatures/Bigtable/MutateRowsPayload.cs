using StreamingFeatures.Pipeline;

namespace StreamingFeatures.Bigtable;

/// <summary>
/// A MutateRows request as bytes: the table header plus pre-encoded entries taken from a <see cref="RowBuffer"/> —
/// all of them, or the subset a retry resends. Entries are copied once, into the gRPC frame.
/// </summary>
internal sealed class MutateRowsPayload(ReadOnlyMemory<byte> header, RowBuffer rows, IReadOnlyList<int> indexes)
{
    public ReadOnlyMemory<byte> Header { get; } = header;

    public RowBuffer Rows { get; } = rows;

    /// <summary>The rows in this request; response entry <c>i</c> refers to <c>Indexes[i]</c>.</summary>
    public IReadOnlyList<int> Indexes { get; } = indexes;

    public int Length
    {
        get
        {
            int length = Header.Length;
            foreach (int index in Indexes)
            {
                length += Rows[index].Length;
            }

            return length;
        }
    }
}
