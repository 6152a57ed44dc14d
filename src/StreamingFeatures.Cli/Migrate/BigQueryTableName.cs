using System.Text.RegularExpressions;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// A BigQuery table named the ways users paste it: the API's <c>projects/P/datasets/D/tables/T</c>, SQL's
/// <c>P.D.T</c> (backticks allowed), or the bq tool's <c>P:D.T</c> (a domain-scoped project keeps its own colon,
/// <c>example.com:P:D.T</c>). Checked here, before any credentials are looked for, so a typo is named as one.
/// </summary>
internal static partial class BigQueryTableName
{
    public const string Forms = "projects/P/datasets/D/tables/T, P.D.T or P:D.T";

    /// <summary>The table as <c>projects/P/datasets/D/tables/T</c>, or null when <paramref name="text"/> names no table.</summary>
    public static string? Normalize(string text)
    {
        string name = text.Trim().Trim('`');
        string project, dataset, table;
        if (ApiForm().Match(name) is { Success: true } api)
        {
            (project, dataset, table) = (api.Groups[1].Value, api.Groups[2].Value, api.Groups[3].Value);
        }
        else if (name.Contains('/'))
        {
            return null;
        }
        else
        {
            int colon = name.LastIndexOf(':');
            string rest = colon < 0 ? name : name[(colon + 1)..];
            string[] parts = rest.Split('.');
            if (colon < 0 ? parts.Length != 3 : parts.Length != 2)
            {
                return null;
            }

            (project, dataset, table) = colon < 0 ? (parts[0], parts[1], parts[2]) : (name[..colon], parts[0], parts[1]);
        }

        return Project().IsMatch(project) && Dataset().IsMatch(dataset) && Table().IsMatch(table)
            ? $"projects/{project}/datasets/{dataset}/tables/{table}"
            : null;
    }

    [GeneratedRegex("^projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)$")]
    private static partial Regex ApiForm();

    // Project ids: letters, digits and hyphens, optionally after a domain and a colon (example.com:my-project).
    [GeneratedRegex(@"^([a-z0-9][a-z0-9.\-]*:)?[a-z0-9][a-z0-9\-]{0,62}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Project();

    [GeneratedRegex(@"^\w{1,1024}$", RegexOptions.CultureInvariant)]
    private static partial Regex Dataset();

    // Table ids: letters, marks, numbers, connectors, dashes and spaces.
    [GeneratedRegex(@"^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd} ]{1,1024}$", RegexOptions.CultureInvariant)]
    private static partial Regex Table();
}
