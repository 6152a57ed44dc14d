using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources;

/// <summary>A source column as the source declares it.</summary>
public sealed record SourceField(string Name, ColumnType Type, bool Nullable = true);
