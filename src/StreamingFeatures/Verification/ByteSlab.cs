namespace StreamingFeatures.Verification;

/// <summary>
/// Copies of small byte spans packed into large blocks: one allocation per block, not per span, and a copy stays
/// where it is (a full block is left to its copies, never moved), so the memory handed out stays valid.
/// </summary>
internal sealed class ByteSlab(int blockBytes = 64 * 1024)
{
    private byte[] _block = [];
    private int _used;

    public ReadOnlyMemory<byte> Add(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (_block.Length - _used < bytes.Length)
        {
            _block = new byte[Math.Max(blockBytes, bytes.Length)];
            _used = 0;
        }

        bytes.CopyTo(_block.AsSpan(_used));
        var copy = new ReadOnlyMemory<byte>(_block, _used, bytes.Length);
        _used += bytes.Length;
        return copy;
    }
}
