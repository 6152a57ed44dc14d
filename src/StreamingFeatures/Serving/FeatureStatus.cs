namespace StreamingFeatures.Serving;

/// <summary>What a read found for one feature of one entity; the names and meanings of Feast's online statuses.</summary>
public enum FeatureStatus
{
    /// <summary>A value whose event time lies within the feature's max age before the read's as-of time.</summary>
    Present,

    /// <summary>
    /// The entity has cells at the as-of time but this nullable feature has none: its last event was null (a
    /// <c>deleteColumn</c> feature set deletes the column on null), or it was null in every event written.
    /// </summary>
    NullValue,

    /// <summary>Nothing for this entity and feature at the as-of time.</summary>
    NotFound,

    /// <summary>The newest value at the as-of time is older than its family's max age (TTL); its event time is given, its value is not.</summary>
    OutsideMaxAge,
}
