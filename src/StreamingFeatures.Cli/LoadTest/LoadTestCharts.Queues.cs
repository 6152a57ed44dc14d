using System.Globalization;
using ScottPlot;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>The queue-depth chart: its axis follows the depths measured, so a few items waiting stay visible.</summary>
internal static partial class LoadTestCharts
{
    /// <summary>Past this depth a linear axis would flatten the small queues beside the big one: log scale instead.</summary>
    internal const long LinearQueueLimit = 100;

    private static Plot Queues(Timeline timeline)
    {
        var plot = new Plot();
        TimeFrame(plot, timeline);
        string[] blocks = [.. timeline.Intervals.SelectMany(i => i.Queues.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        double[][] depths = [.. blocks.Select(b => timeline.Intervals.Select(i => (double)i.Queues.GetValueOrDefault(b)).ToArray())];
        double top = ScaleTop(depths, timeline.Measured);
        bool log = top > LinearQueueLimit;
        for (int b = 0; b < blocks.Length; b++)
        {
            double[] ys = log ? [.. depths[b].Select(QueueLog)] : depths[b];
            var line = plot.Add.Scatter(timeline.Times, ys);
            line.LegendText = blocks[b];
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }

        if (log)
        {
            (double[] positions, string[] labels) = QueueLogTicks(top);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
            ScaleY(plot, plot.Axes.Left, QueueLog(top));
        }
        else
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            ScaleY(plot, plot.Axes.Left, Math.Max(top, 1));
        }

        Labels(plot, "time (s)", log ? "items waiting (log scale)" : "items waiting");
        return plot;
    }

    /// <summary>log10(1 + depth): 0 stays at 0, and 1, 10, 100 ... are evenly spaced.</summary>
    internal static double QueueLog(double depth) => Math.Log10(1 + depth);

    /// <summary>Ticks at 0, 1, 10, 100 ... up to the first power of ten at or above <paramref name="top"/>.</summary>
    internal static (double[] Positions, string[] Labels) QueueLogTicks(double top)
    {
        var positions = new List<double> { 0 };
        var labels = new List<string> { "0" };
        for (double value = 1; ; value *= 10)
        {
            positions.Add(QueueLog(value));
            labels.Add(value >= 1000 ? (value / 1000).ToString("0", CultureInfo.InvariantCulture) + "k" : value.ToString("0", CultureInfo.InvariantCulture));
            if (value >= top)
            {
                return ([.. positions], [.. labels]);
            }
        }
    }
}
