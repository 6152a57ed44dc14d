using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using StreamingFeatures.LoadTesting;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>What the run prints: the plan, a line per interval while it runs, notes and warnings, the summary at the end.</summary>
internal sealed partial class LoadTestRunner
{
    /// <summary>
    /// Prints what a load-test job tells: the plan and notes on stdout, warnings on stderr; with <c>--log-format json</c>
    /// every one of them as a JSON object per line on stdout.
    /// </summary>
    private sealed class ConsoleListener(bool quiet, bool json) : ILoadTestListener
    {
        public void Started(LoadTestStart start)
        {
            if (json)
            {
                WriteJson("start", start);
                return;
            }

            Console.WriteLine($"Load test '{start.Profile}': {start.Source} → {start.Destination}, keys {start.Keys}.");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Plan: {start.PlannedRows:N0} {start.Unit} over {start.Duration.TotalSeconds:0.#} s ({start.Shape.ToString().ToLowerInvariant()}), then up to {start.Drain.TotalSeconds:0.#} s to drain; {start.KeyRanges} key ranges ({start.KeyRangeSource})."));
        }

        public void IntervalClosed(LoadInterval interval)
        {
            if (json)
            {
                WriteJson("interval", interval);
            }
            else if (!quiet)
            {
                PrintInterval(interval);
            }
        }

        public void Note(string message)
        {
            if (json)
            {
                WriteJson("note", message);
            }
            else
            {
                Console.WriteLine(message);
            }
        }

        public void Warning(string message)
        {
            if (json)
            {
                WriteJson("warning", message);
            }
            else
            {
                Console.Error.WriteLine("warning: " + message);
            }
        }
    }

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new SecondsConverter() },
    };

    /// <summary>One line: <c>{"kind": value}</c>, durations in seconds, enums as users type them.</summary>
    private static void WriteJson<T>(string kind, T value) =>
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, T> { [kind] = value }, s_json));

    private sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => TimeSpan.FromSeconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteNumberValue(value.TotalSeconds);
    }

    private static void PrintInterval(LoadInterval interval)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{interval.StartSeconds + interval.Seconds,6:0.0}s  planned {interval.PlannedRate,9:N0}/s  offered {interval.OfferedRate,9:N0}/s  achieved {interval.AchievedRate,9:N0}/s");
        line.Append(CultureInfo.InvariantCulture, $"  p50 {interval.LatencyMs.P50,8:0.0} ms  p99 {interval.LatencyMs.P99,8:0.0} ms  skew {interval.Skew,5:0.0}");
        foreach ((string block, long depth) in interval.Queues.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            line.Append(CultureInfo.InvariantCulture, $"  {block} {depth}");
        }

        Console.WriteLine(line.ToString());
    }

    private void PrintSummary(LoadTestResult result, DirectoryInfo output)
    {
        if (_settings.JsonOutput)
        {
            WriteJson("summary", new { result.Profile, result.Target, result.Shape, result.Summary, result.Service, result.Reads, Report = Path.Combine(output.FullName, LoadTestReport.HtmlFile) });
            return;
        }

        LoadSummary s = result.Summary;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Profile {result.Profile} ({result.Target}, {result.Shape}): {s.WrittenRows:N0} of {s.PlannedRows:N0} planned rows written in {s.DurationSeconds:0.0} s; {s.DeadLetters:N0} dead letters, {s.Retries:N0} retries, {s.UnfinishedRows:N0} unfinished."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Measured window (after {s.WarmupSeconds:0.#} s warm-up): offered {s.OfferedRowsPerSecond:N0} rows/s, achieved {s.AchievedRowsPerSecond:N0} rows/s (peak {s.PeakAchievedRowsPerSecond:N0}/s)."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"End-to-end latency: p50 {s.LatencyMs.P50:0.0} ms, p90 {s.LatencyMs.P90:0.0} ms, p99 {s.LatencyMs.P99:0.0} ms, p99.9 {s.LatencyMs.P999:0.0} ms, max {s.LatencyMs.Max:0.0} ms ({s.LatencyMs.Count:N0} rows)."));
        if (result.Service is { } service)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Service: {service.Published:N0} events published, {service.Acked:N0} acked ({(service.AllAcked ? "all" : "NOT all")}), {service.Poison:N0} poison, {service.Redelivered:N0} redelivered; latency is publish to ack at the histogram's bucket resolution."));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(result.Service is null ? "Client" : "Service")}: {s.MeanCpuPercent:0.0} % CPU of all processors, peak working set {s.PeakWorkingSetBytes / 1e6:N0} MB. Key-range skew (max/mean): max {s.MaxSkew:0.00}, mean {s.MeanSkew:0.00}."));
        PrintReads(result.Reads);
        Console.WriteLine($"Report: {Path.Combine(output.FullName, LoadTestReport.HtmlFile)} (JSON: {LoadTestReport.JsonFile}).");
    }
}
