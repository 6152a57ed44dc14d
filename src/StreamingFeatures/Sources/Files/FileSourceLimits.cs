namespace StreamingFeatures.Sources.Files;

/// <summary>The defaults and ranges of <see cref="CsvFileSourceOptions"/> and <see cref="ParquetFileSourceOptions"/>, in one place.</summary>
internal static class FileSourceLimits
{
    /// <summary>The longest CSV record or Parquet string/bytes value: at most Bigtable's 100 MiB cell limit.</summary>
    public static readonly Limit<int> MaxRecordBytes = new(64 << 20, 1 << 10, 100 << 20);

    public static readonly Limit<int> InferenceRows = new(1_000, 1, 1_000_000);

    public static readonly Limit<int> ChunkRows = new(8_192, 1, 65_536);

    public static readonly Limit<int> MaxConcurrentFiles = new(2, 1, 64);
}
