using ScottPlot;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>The time axis the charts share: the full intervals, the warm-up shaded, the y scale taken after it.</summary>
internal static partial class LoadTestCharts
{
    // Room above the highest sample, and below zero so a line at 0 is not hidden by the frame.
    private const double TopMargin = 0.1;
    private const double BottomMargin = 0.03;

    /// <summary>
    /// The top of a y axis: the highest value of <paramref name="series"/> at the samples marked measured (after the
    /// warm-up), so a start-up spike does not flatten the steady state; 0 when there is nothing to scale to.
    /// </summary>
    internal static double ScaleTop(IEnumerable<double[]> series, IReadOnlyList<bool> measured)
    {
        double top = 0;
        foreach (double[] values in series)
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (measured[i] && double.IsFinite(values[i]))
                {
                    top = Math.Max(top, values[i]);
                }
            }
        }

        return top;
    }

    /// <summary>X from the start of the run to the last full interval, the warm-up shaded and named in the legend.</summary>
    private static void TimeFrame(Plot plot, Timeline timeline)
    {
        if (timeline.Warmup > 0)
        {
            var warmup = plot.Add.HorizontalSpan(0, Math.Min(timeline.Warmup, timeline.End), Colors.Gray.WithAlpha(0.2));
            warmup.LineWidth = 0;
            warmup.LegendText = $"warm-up ({timeline.Warmup:0.#} s), not measured";
        }

        plot.Axes.SetLimitsX(0, timeline.End);
    }

    private static void ScaleY(Plot plot, IYAxis axis, Timeline timeline, params double[][] series) =>
        ScaleY(plot, axis, ScaleTop(series, timeline.Measured));

    private static void ScaleY(Plot plot, IYAxis axis, double top)
    {
        double span = top > 0 ? top : 1;
        plot.Axes.SetLimitsY(-span * BottomMargin, span * (1 + TopMargin), axis);
    }

    /// <summary>
    /// The full intervals and their end times; which ones lie after the warm-up (all of them when none does, so a run
    /// inside its warm-up still has a scale); the length of a regular interval (the median one).
    /// </summary>
    private sealed record Timeline(IReadOnlyList<LoadInterval> Intervals, double[] Times, bool[] Measured, double Warmup, double End, double Step)
    {
        public static Timeline Of(LoadTestResult result)
        {
            IReadOnlyList<LoadInterval> full = result.FullIntervals();
            double warmup = result.Summary.WarmupSeconds;
            double[] times = [.. full.Select(i => i.StartSeconds + i.Seconds)];
            bool[] measured = [.. full.Select(i => i.AfterWarmup(warmup))];
            if (!measured.Contains(true))
            {
                Array.Fill(measured, true);
            }

            double[] lengths = [.. full.Select(i => i.Seconds).Order()];
            double step = lengths.Length == 0 ? 1 : lengths[lengths.Length / 2];
            double end = times.Length == 0 ? Math.Max(warmup, step) : times[^1];
            return new Timeline(full, times, measured, warmup, end, step);
        }
    }
}
