namespace StreamingFeatures.DeadLetters;

/// <summary>
/// A record that was not written, with enough to find and fix it: the reason, a message naming field, value and
/// limit, the row key when one was built, and the source position.
/// </summary>
public sealed record DeadLetter(
    DeadLetterReason Reason,
    string Message,
    int Partition,
    long Offset,
    string? RowKey = null,
    string? Field = null,
    string? StatusCode = null);
