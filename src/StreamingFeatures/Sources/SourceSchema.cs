namespace StreamingFeatures.Sources;

/// <summary>The columns every chunk of a source carries, in order.</summary>
public sealed class SourceSchema
{
    private readonly Dictionary<string, int> _ordinals;

    public SourceSchema(IReadOnlyList<SourceField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        Fields = fields;
        _ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < fields.Count; i++)
        {
            if (!_ordinals.TryAdd(fields[i].Name, i))
            {
                throw new ArgumentException($"The source declares column '{fields[i].Name}' twice.", nameof(fields));
            }
        }
    }

    public IReadOnlyList<SourceField> Fields { get; }

    /// <summary>The column's ordinal, or -1.</summary>
    public int IndexOf(string name) => _ordinals.GetValueOrDefault(name, -1);
}
