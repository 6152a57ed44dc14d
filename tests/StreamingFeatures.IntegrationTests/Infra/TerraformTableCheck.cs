using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// Compares a table in Terraform (a <c>google_bigtable_table</c> and the <c>google_bigtable_gc_policy</c> resources
/// on it) with the table the engine creates, given as the admin API's CreateTable JSON (<c>schema --format json</c>).
/// Each difference is one line naming the table, the family and both sides, so drift reads as what to regenerate.
/// </summary>
internal static partial class TerraformTableCheck
{
    public static List<string> Problems(string createTableJson, IReadOnlyList<TerraformBlock> resources, TerraformBlock? table = null)
    {
        using JsonDocument expected = JsonDocument.Parse(createTableJson);
        string tableId = expected.RootElement.GetProperty("tableId").GetString()!;
        var wanted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (expected.RootElement.GetProperty("table").TryGetProperty("columnFamilies", out JsonElement families))
        {
            foreach (JsonProperty family in families.EnumerateObject())
            {
                wanted[family.Name] = family.Value.TryGetProperty("gcRule", out JsonElement rule) ? ProtoRule(rule) : "none";
            }
        }

        table ??= resources.FirstOrDefault(r => r.Type == "google_bigtable_table" && r.String("name") == tableId);
        if (table is null)
        {
            return [$"table '{tableId}' is not in Terraform: no google_bigtable_table named \"{tableId}\"; regenerate it with `streamingfeatures schema`."];
        }

        var problems = new List<string>();
        string reference = $"${{google_bigtable_table.{table.Name}.name}}";
        var declared = table.Blocks("column_family").Select(f => f.GetProperty("family").GetString()!).ToHashSet(StringComparer.Ordinal);
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (TerraformBlock policy in resources.Where(r => r.Type == "google_bigtable_gc_policy" && r.String("table") == reference))
        {
            string family = policy.String("column_family") ?? "(no column_family)";
            rules[family] = policy.Body.TryGetProperty("gc_rules", out JsonElement gc) && gc.ValueKind == JsonValueKind.Object
                ? TerraformRule(gc)
                : $"unreadable (gc_rules of {policy} is not a literal jsonencode({{...}}))";
            if (!declared.Contains(family))
            {
                problems.Add($"table '{tableId}': {policy} sets a GC rule on family '{family}', which {table} does not declare.");
            }
        }

        foreach ((string family, string rule) in wanted)
        {
            if (!declared.Contains(family))
            {
                problems.Add($"table '{tableId}': family '{family}' (GC rule {rule}) is missing from {table}.");
            }
            else if (rules.GetValueOrDefault(family, "none") is var actual && actual != rule)
            {
                problems.Add($"table '{tableId}': family '{family}' has GC rule {actual} in Terraform, the feature set's is {rule}.");
            }
        }

        problems.AddRange(declared.Where(f => !wanted.ContainsKey(f)).Order(StringComparer.Ordinal)
            .Select(f => $"table '{tableId}': family '{f}' is in {table} but not in the feature set."));
        return problems;
    }

    /// <summary>A GC rule of the admin API's JSON (maxNumVersions, maxAge "2592000s", union, intersection) in canonical form.</summary>
    private static string ProtoRule(JsonElement rule)
    {
        if (rule.TryGetProperty("maxNumVersions", out JsonElement versions))
        {
            return $"max_version={versions.GetInt32()}";
        }

        if (rule.TryGetProperty("maxAge", out JsonElement age))
        {
            return Age(decimal.Parse(age.GetString()!.TrimEnd('s'), CultureInfo.InvariantCulture));
        }

        foreach (string mode in (string[])["union", "intersection"])
        {
            if (rule.TryGetProperty(mode, out JsonElement nested))
            {
                return Combined(mode, nested.GetProperty("rules").EnumerateArray().Select(ProtoRule));
            }
        }

        return "none";
    }

    /// <summary>The provider's gc_rules document ({ mode, rules = [{ max_version }, { max_age = "720h" }] }) in canonical form.</summary>
    private static string TerraformRule(JsonElement rule)
    {
        if (rule.TryGetProperty("max_version", out JsonElement versions))
        {
            return $"max_version={versions.GetInt32()}";
        }

        if (rule.TryGetProperty("max_age", out JsonElement age))
        {
            return Age(GoDuration().Matches(age.GetString()!).Sum(m => decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * Seconds(m.Groups[2].Value)));
        }

        string[] parts = [.. rule.GetProperty("rules").EnumerateArray().Select(TerraformRule)];
        return rule.TryGetProperty("mode", out JsonElement mode) ? Combined(mode.GetString()!.ToLowerInvariant(), parts) : parts.Length == 1 ? parts[0] : $"rules without a mode ({string.Join(", ", parts)})";
    }

    private static string Combined(string mode, IEnumerable<string> parts) => $"{mode}({string.Join(", ", parts.Order(StringComparer.Ordinal))})";

    private static string Age(decimal seconds) => $"max_age={seconds.ToString("0.######", CultureInfo.InvariantCulture)}s";

    private static decimal Seconds(string unit) => unit switch
    {
        "h" => 3600m,
        "m" => 60m,
        "s" => 1m,
        "ms" => 0.001m,
        "us" or "µs" => 0.000001m,
        _ => 0.000000001m,
    };

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex GoDuration();
}
