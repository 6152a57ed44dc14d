using System.Globalization;
using System.Text;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Sources.BigQuery;

/// <summary>
/// The row restriction that gives shard <c>i</c> of <c>n</c> its part of a table: rows whose entity key hashes to
/// <c>i</c> with BigQuery's FARM_FINGERPRINT, so n replicas (a Kubernetes Indexed Job) read disjoint sets whose union
/// is the table. COALESCE sends null keys to shard 0 (they are dead-lettered there, not lost); ABS comes after MOD so
/// the INT64 minimum never overflows.
/// </summary>
public static class ShardRestriction
{
    /// <summary>The restriction for shard <paramref name="index"/> of <paramref name="count"/> over the entity key columns.</summary>
    /// <exception cref="ArgumentException">No key column, or the shard is out of range.</exception>
    public static string For(IReadOnlyList<string> keyColumns, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(keyColumns);
        if (count < 1 || index < 0 || index >= count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Shard index {index} of {count}: the count must be at least 1 and the index 0 to count - 1."));
        }

        if (keyColumns.Count == 0)
        {
            throw new ArgumentException("Sharding needs at least one entity key column.");
        }

        var parts = new List<string>(keyColumns.Count);
        foreach (string column in keyColumns)
        {
            parts.Add($"CAST({Quote(column)} AS STRING)");
        }

        string key = parts.Count == 1 ? parts[0] : "CONCAT(" + string.Join(", '#', ", parts) + ")";
        return string.Create(CultureInfo.InvariantCulture, $"ABS(MOD(COALESCE(FARM_FINGERPRINT({key}), 0), {count})) = {index}");
    }

    /// <summary>Key columns whose type the shard hash cannot take as text (it takes INT64 and STRING), as messages.</summary>
    public static IReadOnlyList<string> Unsupported(SourceSchema schema, IReadOnlyList<string> keyColumns)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(keyColumns);
        var problems = new List<string>();
        foreach (SourceField field in schema.Fields)
        {
            if (keyColumns.Contains(field.Name) && field.Type is not (ColumnType.Int64 or ColumnType.String))
            {
                problems.Add($"entity key column '{field.Name}' is {field.Type}; sharding hashes INT64 and STRING keys only");
            }
        }

        return problems;
    }

    /// <summary>Both restrictions must hold; either may be absent.</summary>
    public static string? Combine(string? first, string? second) =>
        string.IsNullOrWhiteSpace(first) ? second
        : string.IsNullOrWhiteSpace(second) ? first
        : $"({first}) AND ({second})";

    private static string Quote(string identifier)
    {
        var quoted = new StringBuilder(identifier.Length + 2).Append('`');
        foreach (char c in identifier)
        {
            quoted.Append(c is '`' or '\\' ? "\\" + c : c.ToString());
        }

        return quoted.Append('`').ToString();
    }
}
