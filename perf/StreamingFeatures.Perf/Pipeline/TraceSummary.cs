using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.EventPipe;

namespace StreamingFeatures.Perf.Pipeline;

/// <summary>
/// <c>trace-summary PATH [TOP]</c>: thread time of a .nettrace by method, as PerfView's or speedscope's views would
/// show it, split by kind: CPU_TIME (running managed code), UNMANAGED_CODE_TIME (native code, or a thread blocked or
/// waiting) and AWAIT_TIME (a task waiting for its continuation); exclusive and inclusive per method.
/// </summary>
internal static class TraceSummary
{
    public static int Run(string path, int top, string? focus = null)
    {
        string etlx = TraceLog.CreateFromEventPipeDataFile(path);
        using var log = new TraceLog(etlx);
        var byKind = new Dictionary<string, Profile>();
        var seen = new HashSet<string>();
        var frames = new List<string>();
        TraceLogEventSource source = log.Events.GetSource();
        var profiler = new SampleProfilerTraceEventParser(source);
        profiler.ThreadSample += sample =>
        {
            frames.Clear();
            for (TraceCallStack? stack = sample.CallStack(); stack is not null; stack = stack.Caller)
            {
                frames.Add(stack.CodeAddress.FullMethodName is { Length: > 0 } name ? $"{stack.CodeAddress.ModuleName}!{name}" : $"{stack.CodeAddress.ModuleName}!?");
            }

            if (frames.Count == 0)
            {
                return;
            }

            string kind = sample.Type == ClrThreadSampleType.Managed ? "running managed code" : "outside managed code (native, blocked or waiting)";
            if (!byKind.TryGetValue(kind, out Profile? profile))
            {
                byKind[kind] = profile = new Profile();
            }

            if (focus is not null && frames.Any(f => f.Contains(focus, StringComparison.Ordinal)))
            {
                string stack = string.Join(Environment.NewLine + "      <- ", frames.Take(14).Select(f => f.Length > 160 ? f[..160] : f));
                profile.Stacks[stack] = profile.Stacks.GetValueOrDefault(stack) + 1;
            }

            profile.Total++;
            profile.Exclusive[frames[0]] = profile.Exclusive.GetValueOrDefault(frames[0]) + 1;
            seen.Clear();
            foreach (string frame in frames)
            {
                if (seen.Add(frame))
                {
                    profile.Inclusive[frame] = profile.Inclusive.GetValueOrDefault(frame) + 1;
                }
            }
        };
        source.Process();

        foreach ((string kind, Profile profile) in byKind)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"===== {kind}: {profile.Total:0} samples (~ms of thread time)"));
            Print("exclusive", profile.Exclusive, profile.Total, top);
            Print("inclusive", profile.Inclusive, profile.Total, top);
            if (focus is not null)
            {
                Print($"stacks through '{focus}'", profile.Stacks, profile.Total, 5);
            }
        }

        return 0;
    }

    private static void Print(string title, Dictionary<string, double> byFrame, double total, int top)
    {
        Console.WriteLine($"--- top {top} {title}");
        foreach ((string frame, double ms) in byFrame.OrderByDescending(kv => kv.Value).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ms,9:0} ms {100 * ms / total,5:0.0}%  {frame}"));
        }
    }

    private sealed class Profile
    {
        public double Total { get; set; }

        public Dictionary<string, double> Exclusive { get; } = [];

        public Dictionary<string, double> Inclusive { get; } = [];

        public Dictionary<string, double> Stacks { get; } = [];
    }
}
