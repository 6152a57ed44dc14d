namespace StreamingFeatures.FeatureSets;

/// <summary>One feature: where its value comes from and which Bigtable cell it becomes.</summary>
public sealed class FeatureOptions
{
    /// <summary>The feature's name; unique in the feature set. Required.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The source column (BigQuery field, file column, JSON property). Default: <see cref="Name"/>.</summary>
    public string? Column { get; set; }

    /// <summary>The column family; must be declared in <see cref="FeatureSetOptions.Families"/>. Required.</summary>
    public string Family { get; set; } = string.Empty;

    /// <summary>The column qualifier (at most 16 KiB of UTF-8). Default: <see cref="Name"/>.</summary>
    public string? Qualifier { get; set; }

    /// <summary>The value type. Required.</summary>
    public FeatureType Type { get; set; }

    /// <summary>Whether the source may hold null here; a null in a non-nullable feature dead-letters the row.</summary>
    public bool Nullable { get; set; }

    /// <summary>The source column actually read.</summary>
    public string SourceColumn => string.IsNullOrEmpty(Column) ? Name : Column;

    /// <summary>The qualifier actually written.</summary>
    public string ColumnQualifier => string.IsNullOrEmpty(Qualifier) ? Name : Qualifier;
}
