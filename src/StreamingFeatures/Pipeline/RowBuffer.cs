using System.Buffers;

namespace StreamingFeatures.Pipeline;

/// <summary>
/// Encoded rows in one pooled byte buffer plus their <see cref="MappedRow"/> records. Grows by doubling; returns
/// its arrays to the pool on <see cref="Dispose"/>. Not thread-safe: one stage owns it at a time.
/// </summary>
internal sealed class RowBuffer : IDisposable
{
    private byte[] _bytes;
    private MappedRow[] _rows;

    public RowBuffer(int initialBytes, int initialRows)
    {
        _bytes = ArrayPool<byte>.Shared.Rent(Math.Max(initialBytes, 256));
        _rows = ArrayPool<MappedRow>.Shared.Rent(Math.Max(initialRows, 16));
    }

    public int ByteCount { get; private set; }

    public int RowCount { get; private set; }

    public long MutationCount { get; private set; }

    public byte[] Bytes => _bytes;

    public ReadOnlySpan<MappedRow> Rows => _rows.AsSpan(0, RowCount);

    public ref readonly MappedRow this[int index] => ref _rows[index];

    /// <summary>A writable span of <paramref name="length"/> bytes at the end; commit it with <see cref="Add"/>.</summary>
    public Span<byte> Reserve(int length)
    {
        if (ByteCount + length > _bytes.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, ByteCount + length));
            _bytes.AsSpan(0, ByteCount).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = larger;
        }

        return _bytes.AsSpan(ByteCount, length);
    }

    public void Add(in MappedRow row)
    {
        if (RowCount == _rows.Length)
        {
            MappedRow[] larger = ArrayPool<MappedRow>.Shared.Rent(_rows.Length * 2);
            _rows.AsSpan(0, RowCount).CopyTo(larger);
            ArrayPool<MappedRow>.Shared.Return(_rows);
            _rows = larger;
        }

        _rows[RowCount++] = row;
        ByteCount = row.Offset + row.Length;
        MutationCount += row.Mutations;
    }

    /// <summary>Copies a row from another buffer, rebasing its offsets.</summary>
    public void Append(RowBuffer source, int index)
    {
        ref readonly MappedRow row = ref source._rows[index];
        int offset = ByteCount;
        source._bytes.AsSpan(row.Offset, row.Length).CopyTo(Reserve(row.Length));
        Add(row with { Offset = offset, KeyOffset = offset + (row.KeyOffset - row.Offset) });
    }

    public ReadOnlySpan<byte> Entry(int index) => _bytes.AsSpan(_rows[index].Offset, _rows[index].Length);

    public ReadOnlySpan<byte> Key(int index) => _bytes.AsSpan(_rows[index].KeyOffset, _rows[index].KeyLength);

    /// <summary>The entry's mutations: its bytes after the row key.</summary>
    public ReadOnlySpan<byte> Mutations(int index) => _bytes.AsSpan(MutationsStart(index), _rows[index].Offset + _rows[index].Length - MutationsStart(index));

    private int MutationsStart(int index) => _rows[index].KeyOffset + _rows[index].KeyLength;

    public void Dispose()
    {
        if (_bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            ArrayPool<MappedRow>.Shared.Return(_rows);
            _bytes = [];
            _rows = [];
        }
    }
}
