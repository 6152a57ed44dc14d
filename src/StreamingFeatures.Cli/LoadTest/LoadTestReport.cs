using System.Globalization;
using System.Net;
using System.Text;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// Writes a run's reports into one folder: <c>result.json</c> (the figures, the input of the regression gate),
/// <c>report.html</c> (self-contained: inline CSS and inline SVG charts, nothing fetched when it opens) and a PNG of
/// each chart. The comparison with a baseline appears only when one was given.
/// </summary>
internal static partial class LoadTestReport
{
    public const string JsonFile = "result.json";
    public const string HtmlFile = "report.html";

    public static void Write(DirectoryInfo output, LoadTestResult result, LoadComparison? comparison)
    {
        output.Create();
        File.WriteAllText(Path.Combine(output.FullName, JsonFile), result.ToJson());
        var charts = new List<(string Name, string Title, string Svg)>();
        foreach ((string name, string title, ScottPlot.Plot plot) in LoadTestCharts.All(result))
        {
            plot.SavePng(Path.Combine(output.FullName, name + ".png"), LoadTestCharts.Width, LoadTestCharts.Height);
            charts.Add((name, title, plot.GetSvgXml(LoadTestCharts.Width, LoadTestCharts.Height)));
        }

        File.WriteAllText(Path.Combine(output.FullName, HtmlFile), Html(result, comparison, charts));
    }

    internal static string Html(LoadTestResult result, LoadComparison? comparison, IReadOnlyList<(string Name, string Title, string Svg)> charts)
    {
        LoadSummary s = result.Summary;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Load test ")
            .Append(Encode(result.Profile)).Append("</title>\n<style>")
            .Append("body{font-family:sans-serif;margin:2em;max-width:1000px;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}td:first-child,th:first-child{text-align:left}")
            .Append(".bad{color:#b00;font-weight:bold}.ok{color:#070}figure{margin:1.5em 0}svg{max-width:100%;height:auto}")
            // The heatmap's cells are a bitmap of one pixel per cell inside the SVG, scaled up by a <use>: browsers blur
            // it unless told otherwise, and the property reaches the <use>'s copy only by inheritance.
            .Append("#hotspot svg{image-rendering:pixelated}")
            .Append("</style></head><body>\n");
        html.Append("<h1>Load test: ").Append(Encode(result.Profile)).Append("</h1>\n");
        if (result.Description is { } description)
        {
            html.Append("<p>").Append(Encode(description)).Append("</p>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>Target {result.Target}, shape {result.Shape}, started {result.StartedAt:u}.</p>\n");
        Table(html, "Summary", [
            ("planned rows", N(s.PlannedRows)), ("offered rows", N(s.OfferedRows)), ("written rows", N(s.WrittenRows)),
            ("dead letters", N(s.DeadLetters)), ("retries", N(s.Retries)), ("unfinished rows", N(s.UnfinishedRows)),
            ("offered rows/s", N(s.OfferedRowsPerSecond)), ("achieved rows/s", N(s.AchievedRowsPerSecond)), ("peak achieved rows/s", N(s.PeakAchievedRowsPerSecond)),
            ("latency p50 / p90 / p99 / p99.9 / max (ms)", $"{F(s.LatencyMs.P50)} / {F(s.LatencyMs.P90)} / {F(s.LatencyMs.P99)} / {F(s.LatencyMs.P999)} / {F(s.LatencyMs.Max)}"),
            ("mean client CPU %", F(s.MeanCpuPercent)), ("peak working set MB", N(s.PeakWorkingSetBytes / 1e6)),
            ("key-range skew max / mean", $"{F(s.MaxSkew)} / {F(s.MeanSkew)}"),
            ("duration s (warm-up s)", $"{F(s.DurationSeconds)} ({F(s.WarmupSeconds)})"),
            ("intervals charted", Charted(result)),
        ]);
        if (result.Service is { } service)
        {
            Table(html, "The ingest service", [
                ("topic", service.Topic), ("metrics", service.MetricsUrl),
                ("published / acked", $"{N(service.Published)} / {N(service.Acked)}"), ("all acked", service.AllAcked ? "yes" : "NO: unfinished"),
                ("received / redelivered / nacked / poison", $"{N(service.Received)} / {N(service.Redelivered)} / {N(service.Nacked)} / {N(service.Poison)}"),
                ("freshness buckets (s)", string.Join(", ", service.FreshnessBucketsSeconds.Select(b => b.ToString("0.####", CultureInfo.InvariantCulture)))),
            ]);
            html.Append("<p class=\"note\">").Append(Encode(service.Latency)).Append("</p>\n");
        }

        ReadsTable(html, result.Reads);
        if (comparison is not null)
        {
            html.Append("<h2>Against the baseline: ").Append(comparison.Passed ? "<span class=\"ok\">passed</span>" : "<span class=\"bad\">REGRESSED</span>").Append("</h2>\n<table><tr><th>figure</th><th>baseline</th><th>this run</th><th>change</th><th>limit</th><th>verdict</th></tr>\n");
            foreach (ComparisonRow row in comparison.Rows)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(row.Metric)}</td><td>{F(row.Baseline)}</td><td>{F(row.Current)}</td><td>{(double.IsInfinity(row.Change) ? "new" : row.Change.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture))}</td><td>{Encode(row.Limit)}</td><td class=\"{(row.Regressed ? "bad" : "ok")}\">{row.Verdict}</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        // Each chart carries its title inside, as its PNG does.
        foreach ((string name, _, string svg) in charts)
        {
            html.Append("<figure id=\"").Append(name).Append("\">\n").Append(StripXmlDeclaration(svg)).Append("\n</figure>\n");
        }

        Table(html, "Environment", [.. result.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value))]);
        html.Append("<p>Key ranges start at: ").Append(Encode(string.Join(" | ", result.Hotspot.StartKeys.Select(k => k.Length == 0 ? "(start)" : k)))).Append("</p>\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string Charted(LoadTestResult result)
    {
        int partial = result.Intervals.Count(i => i.Partial);
        string charted = $"{N(result.Intervals.Count - partial)} of {N(result.Intervals.Count)}";
        return partial == 0 ? charted : $"{charted} ({N(partial)} partial, shorter than the interval: counted in the totals, not charted nor in the rates)";
    }

    private static void Table(StringBuilder html, string title, IEnumerable<(string Name, string Value)> rows)
    {
        html.Append("<h2>").Append(Encode(title)).Append("</h2>\n<table>\n");
        foreach ((string name, string value) in rows)
        {
            html.Append("<tr><td>").Append(Encode(name)).Append("</td><td>").Append(Encode(value)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string StripXmlDeclaration(string svg)
    {
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString(Math.Abs(value) >= 1000 ? "N0" : "0.##", CultureInfo.InvariantCulture);
}
