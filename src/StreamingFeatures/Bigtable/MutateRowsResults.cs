using Grpc.Core;
using StreamingFeatures.DeadLetters;

namespace StreamingFeatures.Bigtable;

/// <summary>What one entry's status meant.</summary>
internal enum EntryResult
{
    /// <summary>Out of range, or already answered in this attempt.</summary>
    Ignored,
    Written,
    Retry,
    Failed,
}

/// <summary>An entry that failed for good: its batch index, why, and the server's code and message.</summary>
internal readonly record struct EntryFailure(int Index, DeadLetterReason Reason, StatusCode Code, string Message);

/// <summary>The end of one MutateRows attempt: entries still pending and the server's RetryInfo delay, if any.</summary>
internal sealed record WriteAttempt(int Pending, TimeSpan? RetryDelay);
