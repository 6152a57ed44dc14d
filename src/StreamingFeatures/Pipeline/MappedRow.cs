namespace StreamingFeatures.Pipeline;

/// <summary>
/// One encoded row inside a buffer: the MutateRows entry at <see cref="Offset"/> (with its field tag and length, so
/// entries concatenate into a request), and what verification and acks need to know about it.
/// </summary>
internal readonly record struct MappedRow(
    int Offset,
    int Length,
    int KeyOffset,
    int KeyLength,
    int Mutations,
    int Bucket,
    int Partition,
    long SourceOffset,
    long TimestampMicros,
    ulong Digest);
