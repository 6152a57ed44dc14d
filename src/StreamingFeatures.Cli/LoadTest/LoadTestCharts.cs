using ScottPlot;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// The report's charts, drawn with ScottPlot: each one both as SVG (inline in the HTML) and as PNG (for tickets),
/// titled inside the image so a PNG seen alone says what it shows. X axes are seconds since the start of the run;
/// each point is the end of a full interval (partial ones are left out, see <see cref="LoadInterval.Partial"/>). Time
/// charts shade the warm-up and scale their y axis to the samples after it.
/// </summary>
internal static partial class LoadTestCharts
{
    public const int Width = 960;
    public const int Height = 400;

    /// <summary>Every chart, in report order: file stem, title, plot.</summary>
    public static IReadOnlyList<(string Name, string Title, Plot Plot)> All(LoadTestResult result)
    {
        var timeline = Timeline.Of(result);
        bool service = result.Service is not null;
        List<(string Name, string Title, Plot Plot)> charts =
        [
            ("throughput", "Throughput: planned, offered and achieved", Throughput(timeline)),
            ("latency", service ? "Publish-to-ack latency over time (bucket resolution)" : "End-to-end latency over time", Latency(timeline)),
            ("latency-distribution", service ? "Publish-to-ack latency distribution after the warm-up (bucket resolution)" : "End-to-end latency distribution after the warm-up", Distribution(result)),
            ("queues", "Queue depth per pipeline block (at each interval's end)", Queues(timeline)),
            ("hotspot", $"Write load per key range (Key Visualizer style, {result.Hotspot.Source} ranges)", Hotspot(result, timeline)),
            ("resources", service ? "Service CPU and memory (scraped)" : "Client CPU and memory", Resources(timeline)),
        ];
        foreach ((_, string title, Plot plot) in charts)
        {
            plot.Title(title);
        }

        return charts;
    }

    private static Plot Throughput(Timeline timeline)
    {
        var plot = new Plot();
        TimeFrame(plot, timeline);
        ScaleY(
            plot,
            plot.Axes.Left,
            timeline,
            Line(plot, timeline, i => i.PlannedRate, "planned", LinePattern.Dashed),
            Line(plot, timeline, i => i.OfferedRate, "offered"),
            Line(plot, timeline, i => i.AchievedRate, "achieved"));
        Labels(plot, "time (s)", "rows per second");
        return plot;
    }

    private static Plot Latency(Timeline timeline)
    {
        var plot = new Plot();
        TimeFrame(plot, timeline);
        ScaleY(
            plot,
            plot.Axes.Left,
            timeline,
            Line(plot, timeline, i => i.LatencyMs.P50, "p50"),
            Line(plot, timeline, i => i.LatencyMs.P90, "p90"),
            Line(plot, timeline, i => i.LatencyMs.P99, "p99"),
            Line(plot, timeline, i => i.LatencyMs.Max, "max", LinePattern.Dotted));
        Labels(plot, "time (s)", "latency (ms)");
        return plot;
    }

    /// <summary>Latency by percentile on a "nines" axis: 0 is the median's side, each step one more nine.</summary>
    private static Plot Distribution(LoadTestResult result)
    {
        var plot = new Plot();
        List<LatencyPoint> points = [.. result.LatencyDistribution.Where(p => p.Percentile < 100)];
        var line = plot.Add.Scatter(points.Select(p => Nines(p.Percentile)).ToArray(), points.Select(p => p.Ms).ToArray());
        line.LegendText = "latency";
        line.MarkerSize = 0;
        line.LineWidth = 2;
        double[] ticks = [0, Nines(50), 1, 2, 3, 4];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, ["0%", "50%", "90%", "99%", "99.9%", "99.99%"]);
        Labels(plot, "percentile", "latency (ms)");
        return plot;
    }

    private static double Nines(double percentile) => -Math.Log10(1 - (percentile / 100));

    private static Plot Resources(Timeline timeline)
    {
        var plot = new Plot();
        TimeFrame(plot, timeline);
        ScaleY(plot, plot.Axes.Left, timeline, Line(plot, timeline, i => i.CpuPercent, "CPU % (left)"));
        ScaleY(plot, plot.Axes.Right, timeline, Line(plot, timeline, i => i.WorkingSetBytes / 1e6, "working set MB (right)", axis: plot.Axes.Right));
        plot.Axes.Right.Label.Text = "working set (MB)";
        Labels(plot, "time (s)", "CPU % of all processors");
        return plot;
    }

    /// <summary>Draws one series over the full intervals and returns its values, for the axis scale.</summary>
    private static double[] Line(Plot plot, Timeline timeline, Func<LoadInterval, double> value, string label, LinePattern? pattern = null, IYAxis? axis = null)
    {
        double[] ys = [.. timeline.Intervals.Select(value)];
        var line = plot.Add.Scatter(timeline.Times, ys);
        line.Axes.YAxis = axis ?? plot.Axes.Left;
        line.LegendText = label;
        line.MarkerSize = 0;
        line.LineWidth = 2;
        line.LinePattern = pattern ?? LinePattern.Solid;
        return ys;
    }

    private static void Labels(Plot plot, string x, string y)
    {
        plot.XLabel(x);
        plot.YLabel(y);
        // Outside the data area: a legend inside covers the lines near the top of the scale.
        plot.ShowLegend(Edge.Bottom);
    }
}
