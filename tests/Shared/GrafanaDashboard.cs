using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamingFeatures.TestShared;

/// <summary>
/// The PromQL a Grafana dashboard runs: every panel's <c>targets[].expr</c> (rows' nested panels included) and every
/// <c>label_values(metric, label)</c> variable, each with the metric names and labels it refers to.
/// </summary>
internal static partial class GrafanaDashboard
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "unless", "bool", "offset", "inf", "nan" };

    /// <summary>The shipped ingest dashboard, found upward from the test's folder.</summary>
    public static string IngestDashboardPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "infra", "grafana", "ingest-dashboard.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No infra/grafana/ingest-dashboard.json above {AppContext.BaseDirectory}.");
    }

    public static IReadOnlyList<Query> Queries(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var queries = new List<Query>();
        if (document.RootElement.TryGetProperty("panels", out JsonElement panels))
        {
            AddPanels(panels, queries);
        }

        if (document.RootElement.TryGetProperty("templating", out JsonElement templating) && templating.TryGetProperty("list", out JsonElement variables))
        {
            foreach (JsonElement variable in variables.EnumerateArray())
            {
                if (variable.TryGetProperty("definition", out JsonElement definition) && LabelValues().Match(definition.GetString() ?? string.Empty) is { Success: true } m)
                {
                    queries.Add(new Query($"variable {variable.GetProperty("name").GetString()}", m.Value, new HashSet<string> { m.Groups[1].Value }, new HashSet<string> { m.Groups[2].Value }, []));
                }
            }
        }

        return queries;
    }

    /// <summary>The metric names and the labels (matchers, <c>by</c>/<c>without</c>/<c>on</c>/<c>ignoring</c>) of one PromQL expression.</summary>
    public static (IReadOnlySet<string> Metrics, IReadOnlySet<string> Labels) Parse(string expr)
    {
        var labels = new HashSet<string>(StringComparer.Ordinal);
        string rest = Matchers().Replace(expr, m =>
        {
            foreach (Match label in MatcherLabel().Matches(m.Groups[1].Value))
            {
                labels.Add(label.Groups[1].Value);
            }

            return " ";
        });
        rest = Grouping().Replace(rest, m =>
        {
            foreach (string label in m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                labels.Add(label);
            }

            return " ";
        });
        rest = RangesAndVariables().Replace(rest, " ");
        var metrics = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match name in Identifier().Matches(rest))
        {
            if (!Keywords.Contains(name.Value))
            {
                metrics.Add(name.Value);
            }
        }

        return (metrics, labels);
    }

    private static void AddPanels(JsonElement panels, List<Query> queries)
    {
        foreach (JsonElement panel in panels.EnumerateArray())
        {
            string title = panel.TryGetProperty("title", out JsonElement t) ? t.GetString() ?? "" : "";
            if (panel.TryGetProperty("targets", out JsonElement targets))
            {
                foreach (JsonElement target in targets.EnumerateArray())
                {
                    if (target.TryGetProperty("expr", out JsonElement expr) && expr.GetString() is { } text)
                    {
                        (IReadOnlySet<string> metrics, IReadOnlySet<string> labels) = Parse(text);
                        string legend = target.TryGetProperty("legendFormat", out JsonElement l) ? l.GetString() ?? "" : "";
                        queries.Add(new Query(title, text, metrics, labels, [.. LegendLabel().Matches(legend).Select(m => m.Groups[1].Value)]));
                    }
                }
            }

            if (panel.TryGetProperty("panels", out JsonElement nested))
            {
                AddPanels(nested, queries);
            }
        }
    }

    [GeneratedRegex("""\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}""")]
    private static partial Regex Matchers();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)""")]
    private static partial Regex MatcherLabel();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]|\$\{?\w+\}?")]
    private static partial Regex RangesAndVariables();

    [GeneratedRegex(@"(?<![\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w:]|\s*\()")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")]
    private static partial Regex LegendLabel();

    /// <summary>One query: where it is, its text, the metrics and labels it names, and the labels its legend prints.</summary>
    internal sealed record Query(string Panel, string Expr, IReadOnlySet<string> Metrics, IReadOnlySet<string> Labels, IReadOnlyList<string> LegendLabels);
}
