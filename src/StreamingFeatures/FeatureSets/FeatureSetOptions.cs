namespace StreamingFeatures.FeatureSets;

/// <summary>
/// The schema a user writes once (JSON, YAML or code): which source columns become which Bigtable cells, how rows
/// are keyed and stamped, and how long cells live. Checked, all errors at once, by <c>FeatureSetValidator</c>.
/// </summary>
public sealed class FeatureSetOptions
{
    /// <summary>The Bigtable table id (1 to 50 characters of <c>[-_.a-zA-Z0-9]</c>, not starting with - or .). Required.</summary>
    public string Table { get; set; } = string.Empty;

    /// <summary>
    /// The entity key column(s). One column is a simple key; several are promoted, in order, into a composite
    /// key joined by <see cref="RowKeyOptions.Delimiter"/>. Required.
    /// </summary>
    public List<string> EntityKey { get; set; } = [];

    /// <summary>The event-time column; it stamps every cell of the row (microseconds, millisecond granularity). Required.</summary>
    public string EventTime { get; set; } = string.Empty;

    /// <summary>The features (1 to 1,000). Required.</summary>
    public List<FeatureOptions> Features { get; set; } = [];

    /// <summary>Column families by name, with their GC policies; every family a feature names must be here.</summary>
    public Dictionary<string, ColumnFamilyOptions> Families { get; set; } = [];

    /// <summary>How row keys are built.</summary>
    public RowKeyOptions RowKey { get; set; } = new();

    /// <summary>What a null value writes. Default <see cref="NullHandling.Skip"/>.</summary>
    public NullHandling Nulls { get; set; } = NullHandling.Skip;

    /// <summary>
    /// How far an event time may be ahead of the clock (for a migration, of its snapshot time) before the row is
    /// dead-lettered as <c>eventTimeInFuture</c>: a cell stamped far ahead would win over every real event for good.
    /// 0 to 10,000 years. Default 1 hour.
    /// </summary>
    public TimeSpan MaxFutureSkew { get; set; } = DefaultMaxFutureSkew;

    /// <summary>The default of <see cref="MaxFutureSkew"/>.</summary>
    public static TimeSpan DefaultMaxFutureSkew { get; } = TimeSpan.FromHours(1);
}
