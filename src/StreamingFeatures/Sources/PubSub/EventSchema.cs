using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.PubSub;

/// <summary>
/// The columns a Pub/Sub event carries, from the feature set: the entity key column(s) (String unless a feature
/// reads the same column with another type), the event time (Timestamp), and each feature's source column typed as
/// the feature. A column's value is the top-level JSON property of its name, else the attribute of its name.
/// </summary>
internal sealed class EventSchema
{
    private readonly Dictionary<string, int> _ordinals;

    private EventSchema(List<SourceField> fields, int[] keyOrdinals, int eventTimeOrdinal)
    {
        Schema = new SourceSchema(fields);
        Types = [.. fields.Select(f => f.Type)];
        Names = [.. fields.Select(f => f.Name)];
        KeyOrdinals = keyOrdinals;
        EventTimeOrdinal = eventTimeOrdinal;
        IsKey = new bool[fields.Count];
        foreach (int key in keyOrdinals)
        {
            IsKey[key] = true;
        }

        _ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < fields.Count; i++)
        {
            _ordinals[fields[i].Name] = i;
        }

        Lookup = _ordinals.GetAlternateLookup<ReadOnlySpan<char>>();
        MaxNameBytes = fields.Max(f => System.Text.Encoding.UTF8.GetByteCount(f.Name));
    }

    public SourceSchema Schema { get; }

    public ColumnType[] Types { get; }

    public string[] Names { get; }

    public int[] KeyOrdinals { get; }

    /// <summary>Key columns accept JSON numbers as their text too (<c>"user": 42</c> keys the row "42").</summary>
    public bool[] IsKey { get; }

    public int EventTimeOrdinal { get; }

    public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }

    /// <summary>The longest column name in UTF-8: an unescaped JSON property name longer than this is none of ours.</summary>
    public int MaxNameBytes { get; }

    /// <exception cref="ArgumentException">Two roles read one column with different types.</exception>
    public static EventSchema From(FeatureSetOptions featureSet)
    {
        var types = new Dictionary<string, (ColumnType Type, string Role)>(StringComparer.Ordinal);
        var order = new List<string>();
        var errors = new List<string>();

        void Declare(string column, ColumnType type, string role, bool overridable)
        {
            if (!types.TryGetValue(column, out (ColumnType Type, string Role) known))
            {
                types[column] = (type, role);
                order.Add(column);
            }
            else if (known.Role == "entity key" && overridable)
            {
                types[column] = (type, role); // A feature that reads the key column types it.
            }
            else if (known.Type != type)
            {
                errors.Add($"Column '{column}' is read as {known.Type} by {known.Role} and as {type} by {role}.");
            }
        }

        foreach (string key in featureSet.EntityKey)
        {
            Declare(key, ColumnType.String, "entity key", overridable: false);
        }

        Declare(featureSet.EventTime, ColumnType.Timestamp, "the event time", overridable: false);
        foreach (FeatureOptions feature in featureSet.Features)
        {
            Declare(feature.SourceColumn, RowMapper.ToColumnType(feature.Type), $"feature '{feature.Name}'", overridable: true);
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("The feature set cannot be read from Pub/Sub events: " + string.Join(" ", errors));
        }

        var fields = order.Select(name => new SourceField(name, types[name].Type)).ToList();
        int[] keys = [.. featureSet.EntityKey.Select(k => order.IndexOf(k))];
        return new EventSchema(fields, keys, order.IndexOf(featureSet.EventTime));
    }
}
