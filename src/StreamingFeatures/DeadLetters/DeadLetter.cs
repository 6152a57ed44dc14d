namespace StreamingFeatures.DeadLetters;

/// <summary>
/// A record that was not written, with enough to find and fix it: the reason, a message naming field, value and
/// limit, the row key when one was built, and the source position. A file source also names the file and the lines
/// the record spans; a record refused for its size keeps only a prefix (<see cref="Record"/>) and its length.
/// </summary>
public sealed record DeadLetter(
    DeadLetterReason Reason,
    string Message,
    int Partition,
    long Offset,
    string? RowKey = null,
    string? Field = null,
    string? StatusCode = null,
    string? File = null,
    long? FirstLine = null,
    long? LastLine = null,
    long? RecordBytes = null,
    string? Record = null);
