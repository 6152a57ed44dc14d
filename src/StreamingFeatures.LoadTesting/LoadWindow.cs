namespace StreamingFeatures.LoadTesting;

/// <summary>
/// The summary's rates over the measured window: from the warm-up to the end of the schedule, each interval
/// weighted by the part of it inside the window. Rows still landing during the drain count as written, not as
/// achieved rate, so a system that falls behind shows it. Partial intervals (<see cref="LoadInterval.Partial"/>) are
/// left out of the window, the peaks and the skews, as the charts leave them out; the peak rate is taken after the
/// warm-up, where the charts' scale is (a start-up burst is not the steady state).
/// </summary>
internal readonly record struct LoadWindow(double OfferedRate, double AchievedRate, double PeakAchievedRate, double MeanCpuPercent, double MaxSkew, double MeanSkew, long PeakWorkingSetBytes)
{
    public static LoadWindow Of(IReadOnlyList<LoadInterval> intervals, LoadMeasure measure, RateSchedule schedule)
    {
        double warmup = measure.Warmup.TotalSeconds;
        double end = Math.Max(schedule.Duration.TotalSeconds, warmup);
        double window = 0;
        double offered = 0;
        double achieved = 0;
        double peak = 0;
        double cpu = 0;
        long memory = 0;
        var skews = new List<double>();
        foreach (LoadInterval interval in intervals)
        {
            // A memory sample is a real measurement whatever the interval's length; a rate over a short span is not.
            memory = Math.Max(memory, interval.WorkingSetBytes);
            if (interval.Partial)
            {
                continue;
            }

            if (interval.AfterWarmup(warmup))
            {
                peak = Math.Max(peak, interval.AchievedRate);
            }

            if (interval.Skew > 0)
            {
                skews.Add(interval.Skew);
            }

            // The part of the interval inside the window.
            double inside = Math.Min(end, interval.StartSeconds + interval.Seconds) - Math.Max(warmup, interval.StartSeconds);
            if (inside > 0)
            {
                double share = inside / interval.Seconds;
                window += inside;
                offered += interval.OfferedRate * interval.Seconds * share;
                achieved += interval.AchievedRate * interval.Seconds * share;
                cpu += interval.CpuPercent * inside;
            }
        }

        return new LoadWindow(
            window > 0 ? offered / window : 0,
            window > 0 ? achieved / window : 0,
            peak,
            window > 0 ? cpu / window : 0,
            skews.Count == 0 ? 0 : skews.Max(),
            skews.Count == 0 ? 0 : skews.Average(),
            memory);
    }
}
