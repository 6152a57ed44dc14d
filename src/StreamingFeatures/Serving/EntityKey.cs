namespace StreamingFeatures.Serving;

/// <summary>
/// An entity's key as the feature set's <c>entityKey</c> columns hold it: one part for a simple key, the parts in
/// <c>entityKey</c> order for a composite one. A string converts to a one-part key.
/// </summary>
public readonly record struct EntityKey
{
    private readonly string[]? _parts;

    public EntityKey(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0 || Array.Exists(parts, part => part is null))
        {
            throw new ArgumentException("An entity key needs at least one part, and no part may be null.", nameof(parts));
        }

        _parts = parts;
    }

    public IReadOnlyList<string> Parts => _parts ?? [string.Empty];

    public static implicit operator EntityKey(string id) => new(id);

    public static EntityKey FromString(string id) => new(id);

    public bool Equals(EntityKey other) => Parts.SequenceEqual(other.Parts, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (string part in Parts)
        {
            hash.Add(part, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The parts joined by commas, for messages and output.</summary>
    public override string ToString() => string.Join(',', Parts);
}
