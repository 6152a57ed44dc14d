namespace StreamingFeatures.FeatureSets;

/// <summary>What a null feature value writes.</summary>
public enum NullHandling
{
    /// <summary>No cell: the column keeps whatever it held.</summary>
    Skip,

    /// <summary>
    /// Deletes the column's cells up to and including the event time, so a newer event's cell survives and the
    /// write stays idempotent.
    /// </summary>
    DeleteColumn,
}
