namespace StreamingFeatures.DeadLetters;

/// <summary>Why a record could not be written; stable names for metrics and dead-letter files.</summary>
public enum DeadLetterReason
{
    /// <summary>The entity key (or one of its parts) is null or empty.</summary>
    EmptyKey,

    /// <summary>The row key exceeds Bigtable's 4 KiB.</summary>
    KeyTooLong,

    /// <summary>The event time is null or before the Unix epoch (Bigtable reads a negative timestamp as "server time").</summary>
    BadEventTime,

    /// <summary>A feature declared not nullable holds null.</summary>
    NullValue,

    /// <summary>A value or the whole row exceeds Bigtable's limits.</summary>
    ValueTooLarge,

    /// <summary>A value does not fit the feature's type (e.g. text in an int64 feature).</summary>
    BadValue,

    /// <summary>The message or record could not be parsed at all.</summary>
    Unparseable,

    /// <summary>Bigtable refused the row with a status that retrying cannot fix.</summary>
    PermanentWriteFailure,

    /// <summary>Bigtable kept failing the row until the retry deadline passed.</summary>
    RetriesExhausted,

    /// <summary>
    /// The event time is more than the feature set's <c>maxFutureSkew</c> ahead of the clock (or a migration's
    /// snapshot): written, it would beat every real event of its entity and column for good.
    /// </summary>
    EventTimeInFuture,

    /// <summary>A CSV quoted field does not close on its line (or, with quoted newlines allowed, before the end of the file).</summary>
    UnclosedQuote,

    /// <summary>A CSV record has more fields than the header.</summary>
    ExtraFields,

    /// <summary>A CSV record has fewer fields than the header.</summary>
    MissingFields,

    /// <summary>A record (CSV record, Pub/Sub message) is longer than the configured bound; it was never held whole.</summary>
    RecordTooLarge,
}
