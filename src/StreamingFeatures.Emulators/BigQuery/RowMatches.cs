using System.Numerics;

namespace StreamingFeatures.Emulators.BigQuery;

/// <summary>
/// The rows of a stream's range that pass its filter, as one bit per row of the range plus a running count per block
/// of 4,096 rows: about 1.3 MB per 10 million rows however many match, where a list of row numbers would take 8 bytes
/// per match. Maps a stream offset (the n-th matching row) back to its table row.
/// </summary>
internal sealed class RowMatches
{
    private const int WordsPerBlock = 64;

    private readonly long _start;
    private readonly ulong[] _bits;
    private long[] _before = [];

    public RowMatches(long start, long end)
    {
        _start = start;
        _bits = new ulong[(end - start + 63) / 64];
    }

    /// <summary>Matching rows; valid after <see cref="Seal"/>.</summary>
    public long Count { get; private set; }

    public void Add(long row)
    {
        long at = row - _start;
        _bits[at >> 6] |= 1UL << (int)(at & 63);
    }

    /// <summary>Counts the matches; call once, after the last <see cref="Add"/>.</summary>
    public void Seal()
    {
        _before = new long[(_bits.Length + WordsPerBlock - 1) / WordsPerBlock];
        long count = 0;
        for (int w = 0; w < _bits.Length; w++)
        {
            if (w % WordsPerBlock == 0)
            {
                _before[w / WordsPerBlock] = count;
            }

            count += BitOperations.PopCount(_bits[w]);
        }

        Count = count;
    }

    /// <summary>The table rows of matches <c>[offset, offset + count)</c>.</summary>
    public long[] TableRows(long offset, int count)
    {
        var rows = new long[count];
        if (count == 0)
        {
            return rows;
        }

        // The last block starting at or before the offset; empty blocks share a count, and any of them is a valid start.
        int block = Array.BinarySearch(_before, offset);
        block = block >= 0 ? block : ~block - 1;
        long seen = _before[block];
        int word = block * WordsPerBlock;
        while (seen + BitOperations.PopCount(_bits[word]) <= offset)
        {
            seen += BitOperations.PopCount(_bits[word]);
            word++;
        }

        ulong bits = _bits[word];
        for (long skip = offset - seen; skip > 0; skip--)
        {
            bits &= bits - 1;
        }

        for (int n = 0; n < count; n++)
        {
            while (bits == 0)
            {
                bits = _bits[++word];
            }

            rows[n] = _start + ((long)word * 64) + BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
        }

        return rows;
    }
}
