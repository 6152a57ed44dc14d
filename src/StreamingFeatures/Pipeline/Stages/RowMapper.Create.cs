using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Pipeline.Stages;

internal sealed partial class RowMapper
{
    /// <summary>
    /// Compiles the mapping of <paramref name="schema"/> through <paramref name="featureSet"/> (already validated).
    /// Every missing column and type that cannot map is reported at once, before anything is written.
    /// Event times may be at most the feature set's maxFutureSkew ahead of <paramref name="eventTimeReference"/> (a
    /// migration's snapshot time) or, without one, of <paramref name="clock"/> (default: the system clock) as each
    /// chunk is mapped.
    /// </summary>
    /// <exception cref="SchemaMismatchException">The source cannot feed the feature set.</exception>
    public static RowMapper Create(FeatureSetOptions featureSet, SourceSchema schema, int maxEntryBytes, DateTimeOffset? eventTimeReference = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(featureSet);
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<string>();

        int Find(string column, string role, Func<ColumnType, bool> accepts, string allowed)
        {
            int ordinal = schema.IndexOf(column);
            if (ordinal < 0)
            {
                errors.Add(Invariant($"{role} column '{column}' is not in the source (it has: {string.Join(", ", schema.Fields.Select(f => f.Name))})."));
            }
            else if (!accepts(schema.Fields[ordinal].Type))
            {
                errors.Add(Invariant($"{role} column '{column}' is {schema.Fields[ordinal].Type} in the source; allowed: {allowed}."));
            }

            return ordinal;
        }

        int[] keyOrdinals = featureSet.EntityKey
            .Select(k => Find(k, "Entity key", t => t is ColumnType.String or ColumnType.Bytes or ColumnType.Int64, "String, Bytes, Int64"))
            .ToArray();
        int eventTime = Find(featureSet.EventTime, "Event time", t => t is ColumnType.Timestamp or ColumnType.Date, "Timestamp, Date");
        var features = new List<FeaturePlan>();
        foreach (FeatureOptions feature in featureSet.Features)
        {
            int ordinal = Find(
                feature.SourceColumn,
                Invariant($"Feature '{feature.Name}' ({feature.Type})"),
                t => ConversionOf(feature.Type, t) is not null,
                AllowedSources(feature.Type));
            if (ordinal >= 0 && ConversionOf(feature.Type, schema.Fields[ordinal].Type) is { } conversion)
            {
                features.Add(new FeaturePlan(feature, ordinal, schema.Fields[ordinal].Type, conversion));
            }
        }

        if (errors.Count > 0)
        {
            throw new SchemaMismatchException(errors);
        }

        return new RowMapper([.. features], keyOrdinals, [.. featureSet.EntityKey], eventTime, featureSet.EventTime, featureSet, maxEntryBytes, new EventTimeHorizon(featureSet.MaxFutureSkew, eventTimeReference, clock ?? TimeProvider.System));
    }

    /// <summary>The source column type that feeds a feature of <paramref name="type"/> as it is (no conversion).</summary>
    public static ColumnType ToColumnType(FeatureType type) => type switch
    {
        FeatureType.Int64 => ColumnType.Int64,
        FeatureType.Float64 => ColumnType.Float64,
        FeatureType.Bool => ColumnType.Bool,
        FeatureType.String => ColumnType.String,
        FeatureType.Bytes => ColumnType.Bytes,
        FeatureType.Timestamp => ColumnType.Timestamp,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown feature type."),
    };
}
