namespace StreamingFeatures.Sources;

/// <summary>
/// A source whose rows can be read by absolute position, so a server (the BigQuery Storage emulator) can produce any
/// range on demand instead of holding the table. Reads are deterministic (the same range always gives the same
/// values) and thread-safe, and row i is the row <see cref="IRowSource.RunAsync"/> sends as row i.
/// </summary>
public interface IRandomAccessRowSource : IRowSource
{
    /// <summary>Rows in the source.</summary>
    long RowCount { get; }

    /// <summary>Rows <c>[firstRow, firstRow + count)</c>, as one chunk whose <see cref="SourceChunk.FirstOffset"/> is <paramref name="firstRow"/>.</summary>
    SourceChunk Read(long firstRow, int count);
}
