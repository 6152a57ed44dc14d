using ScottPlot;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>The key-range heatmap: one row per key range, labelled with its first key; one column per interval.</summary>
internal static partial class LoadTestCharts
{
    /// <summary>Key labels that fit the chart's height; with more ranges, every n-th one is labelled.</summary>
    internal const int MaxKeyLabels = 16;

    private const int MaxKeyLabelLength = 16;

    /// <summary>
    /// Key range × time, as Bigtable's Key Visualizer draws it: the first range at the bottom, each cell sharp (no
    /// smoothing), the colour scale taken after the warm-up. Each interval lands in the column of the regular grid its
    /// end falls on, so columns keep their place on the time axis.
    /// </summary>
    private static Plot Hotspot(LoadTestResult result, Timeline timeline)
    {
        var plot = new Plot();
        int ranges = result.Hotspot.StartKeys.Count;
        int columns = Math.Max(1, (int)Math.Round(timeline.End / timeline.Step));
        var cells = new double[ranges, columns];
        for (int r = 0; r < ranges; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                cells[r, c] = double.NaN;
            }
        }

        double top = 0;
        for (int k = 0; k < timeline.Intervals.Count; k++)
        {
            LoadInterval interval = timeline.Intervals[k];
            int column = Math.Clamp((int)Math.Round(timeline.Times[k] / timeline.Step) - 1, 0, columns - 1);
            for (int r = 0; r < ranges && r < interval.KeyRangeWrites.Count; r++)
            {
                double rate = interval.KeyRangeWrites[r] / interval.Seconds;

                // Row 0 of the array is drawn at the top.
                cells[ranges - 1 - r, column] = rate;
                top = timeline.Measured[k] ? Math.Max(top, rate) : top;
            }
        }

        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Turbo();
        heatmap.Smooth = false;
        heatmap.NaNCellColor = Colors.Transparent;
        heatmap.ManualRange = new ScottPlot.Range(0, top > 0 ? top : 1);
        heatmap.Rectangle = new CoordinateRect(0, columns * timeline.Step, 0, ranges);
        plot.Add.ColorBar(heatmap).Label = "rows/s";
        if (timeline.Warmup > 0)
        {
            // A shade would change the cells' colours: a line, named inside the plot, left of it.
            double end = Math.Min(timeline.Warmup, columns * timeline.Step);
            plot.Add.VerticalLine(end, 2, Colors.Black, LinePattern.Dashed);
            var label = plot.Add.Text("warm-up", end, ranges);
            label.Alignment = Alignment.UpperRight;
            label.OffsetX = -3;
            label.LabelFontColor = Colors.White;
            label.LabelBackgroundColor = Colors.Black.WithAlpha(0.6);
            label.LabelFontSize = 12;
        }

        (double[] positions, string[] labels) = KeyRangeTicks(result.Hotspot.StartKeys, MaxKeyLabels);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.SetLimits(0, columns * timeline.Step, 0, ranges);
        plot.XLabel("time (s)");
        plot.YLabel("key range (its first key)");
        return plot;
    }

    /// <summary>
    /// A tick in the middle of each labelled range, named by the range's first key (the first range starts the
    /// table); at most <paramref name="maxLabels"/>, evenly spread, long keys cut with an ellipsis.
    /// </summary>
    internal static (double[] Positions, string[] Labels) KeyRangeTicks(IReadOnlyList<string> startKeys, int maxLabels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLabels, 1);
        int step = Math.Max(1, (int)Math.Ceiling(startKeys.Count / (double)maxLabels));
        var positions = new List<double>();
        var labels = new List<string>();
        for (int r = 0; r < startKeys.Count; r += step)
        {
            positions.Add(r + 0.5);
            labels.Add(KeyLabel(startKeys[r]));
        }

        return ([.. positions], [.. labels]);
    }

    private static string KeyLabel(string key)
    {
        if (key.Length == 0)
        {
            return "(start)";
        }

        string printable = new([.. key.Select(c => char.IsControl(c) ? '·' : c)]);
        return printable.Length <= MaxKeyLabelLength ? printable : printable[..(MaxKeyLabelLength - 1)] + "…";
    }
}
