using ScottPlot;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// The report's charts, drawn with ScottPlot: each one both as SVG (inline in the HTML) and as PNG (for tickets).
/// X axes are seconds since the start of the run; each point is the end of a measured interval.
/// </summary>
internal static class LoadTestCharts
{
    public const int Width = 960;
    public const int Height = 360;

    /// <summary>Every chart, in report order: file stem, title, plot.</summary>
    public static IReadOnlyList<(string Name, string Title, Plot Plot)> All(LoadTestResult result) =>
    [
        ("throughput", "Throughput: planned, offered and achieved", Throughput(result)),
        ("latency", result.Service is null ? "End-to-end latency over time" : "Publish-to-ack latency over time (bucket resolution)", Latency(result)),
        ("latency-distribution", result.Service is null ? "End-to-end latency distribution" : "Publish-to-ack latency distribution (bucket resolution)", Distribution(result)),
        ("queues", "Queue depth per pipeline block", Queues(result)),
        ("hotspot", "Write load per key range (Key Visualizer style)", Hotspot(result)),
        ("resources", result.Service is null ? "Client CPU and memory" : "Service CPU and memory (scraped)", Resources(result)),
    ];

    private static double[] Times(LoadTestResult result) => [.. result.Intervals.Select(i => i.StartSeconds + i.Seconds)];

    private static Plot Throughput(LoadTestResult result)
    {
        var plot = new Plot();
        double[] t = Times(result);
        Line(plot, t, result.Intervals.Select(i => i.PlannedRate), "planned", LinePattern.Dashed);
        Line(plot, t, result.Intervals.Select(i => i.OfferedRate), "offered");
        Line(plot, t, result.Intervals.Select(i => i.AchievedRate), "achieved");
        Labels(plot, "time (s)", "rows per second");
        return plot;
    }

    private static Plot Latency(LoadTestResult result)
    {
        var plot = new Plot();
        double[] t = Times(result);
        Line(plot, t, result.Intervals.Select(i => i.LatencyMs.P50), "p50");
        Line(plot, t, result.Intervals.Select(i => i.LatencyMs.P90), "p90");
        Line(plot, t, result.Intervals.Select(i => i.LatencyMs.P99), "p99");
        Line(plot, t, result.Intervals.Select(i => i.LatencyMs.Max), "max", LinePattern.Dotted);
        Labels(plot, "time (s)", "latency (ms)");
        return plot;
    }

    /// <summary>Latency by percentile on a "nines" axis: 0 is the median's side, each step one more nine.</summary>
    private static Plot Distribution(LoadTestResult result)
    {
        var plot = new Plot();
        List<LatencyPoint> points = [.. result.LatencyDistribution.Where(p => p.Percentile < 100)];
        Line(plot, [.. points.Select(p => Nines(p.Percentile))], points.Select(p => p.Ms), "latency");
        double[] ticks = [0, Nines(50), 1, 2, 3, 4];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, ["0%", "50%", "90%", "99%", "99.9%", "99.99%"]);
        Labels(plot, "percentile", "latency (ms)");
        return plot;
    }

    private static double Nines(double percentile) => -Math.Log10(1 - (percentile / 100));

    private static Plot Queues(LoadTestResult result)
    {
        var plot = new Plot();
        double[] t = Times(result);
        foreach (string block in result.Intervals.SelectMany(i => i.Queues.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Line(plot, t, result.Intervals.Select(i => (double)i.Queues.GetValueOrDefault(block)), block);
        }

        Labels(plot, "time (s)", "items waiting");
        return plot;
    }

    /// <summary>Key range × time, as Bigtable's Key Visualizer draws it: the first range at the bottom.</summary>
    private static Plot Hotspot(LoadTestResult result)
    {
        var plot = new Plot();
        int ranges = result.Hotspot.StartKeys.Count;
        int intervals = result.Intervals.Count;
        if (intervals > 0)
        {
            var cells = new double[ranges, intervals];
            for (int x = 0; x < intervals; x++)
            {
                LoadInterval interval = result.Intervals[x];
                for (int r = 0; r < ranges && r < interval.KeyRangeWrites.Count; r++)
                {
                    // Row 0 of the array is drawn at the top.
                    cells[ranges - 1 - r, x] = interval.KeyRangeWrites[r] / interval.Seconds;
                }
            }

            var heatmap = plot.Add.Heatmap(cells);
            heatmap.Colormap = new ScottPlot.Colormaps.Turbo();
            heatmap.Rectangle = new CoordinateRect(0, result.Intervals[^1].StartSeconds + result.Intervals[^1].Seconds, 0, ranges);
            plot.Add.ColorBar(heatmap).Label = "rows/s";
        }

        Labels(plot, "time (s)", $"key range ({result.Hotspot.Source})");
        return plot;
    }

    private static Plot Resources(LoadTestResult result)
    {
        var plot = new Plot();
        double[] t = Times(result);
        Line(plot, t, result.Intervals.Select(i => i.CpuPercent), "CPU % (left)");
        var memory = plot.Add.Scatter(t, result.Intervals.Select(i => i.WorkingSetBytes / 1e6).ToArray());
        memory.LegendText = "working set MB (right)";
        memory.MarkerSize = 0;
        memory.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "MB";
        Labels(plot, "time (s)", "CPU % of all processors");
        return plot;
    }

    private static void Line(Plot plot, double[] xs, IEnumerable<double> ys, string label, LinePattern? pattern = null)
    {
        var line = plot.Add.Scatter(xs, ys.ToArray());
        line.LegendText = label;
        line.MarkerSize = 0;
        line.LineWidth = 2;
        line.LinePattern = pattern ?? LinePattern.Solid;
    }

    private static void Labels(Plot plot, string x, string y)
    {
        plot.XLabel(x);
        plot.YLabel(y);
        plot.ShowLegend(Alignment.UpperLeft);
    }
}
