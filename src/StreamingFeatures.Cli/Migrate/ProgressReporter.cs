using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// Shows progress while a job runs: a bar with rows, rows/s, ETA, retries and dead letters on a terminal; a
/// structured log line every few seconds when the output is redirected (a container's log).
/// </summary>
internal static class ProgressReporter
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);

    public static async Task<T> RunAsync<T>(long? totalRows, Func<long> done, Func<string> detail, Func<Task<T>> job)
    {
        if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive && !Options.JsonLines.IsOn)
        {
            T result = default!;
            var started = Stopwatch.StartNew();
            var rate = new RowsPerSecondColumn(() => done() / Math.Max(started.Elapsed.TotalSeconds, 0.001));
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), rate, new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    ProgressTask task = context.AddTask("rows", maxValue: totalRows ?? 1);
                    task.IsIndeterminate = totalRows is null;
                    Task<T> running = job();
                    while (!running.IsCompleted)
                    {
                        long rows = done();
                        task.Value = rows;
                        task.Description = $"{rows:N0} rows  {detail()}";
                        await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System)).ConfigureAwait(false);
                    }

                    task.Value = done();
                    task.Description = $"{done():N0} rows  {detail()}";
                    result = await running.ConfigureAwait(false);
                }).ConfigureAwait(false);
            return result;
        }

        var clock = Stopwatch.StartNew();
        Task<T> work = job();
        while (await Task.WhenAny(work, Task.Delay(LogInterval, TimeProvider.System)).ConfigureAwait(false) != work)
        {
            long rows = done();
            double rate = rows / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            Console.WriteLine(ProgressLine(rows, totalRows, rate, detail()));
        }

        return await work.ConfigureAwait(false);
    }

    /// <summary>One JSON object: numbers as numbers, the ETA null while unknown.</summary>
    internal static string ProgressLine(long rows, long? totalRows, double rowsPerSecond, string detail)
    {
        long? eta = totalRows is { } total && rowsPerSecond > 0 ? (long)Math.Round(Math.Max(0, total - rows) / rowsPerSecond) : null;
        return JsonSerializer.Serialize(new { progress = new { rows, totalRows, rowsPerSecond = Math.Round(rowsPerSecond), etaSeconds = eta, detail } });
    }

    /// <summary>
    /// Rows per second beside the ETA, over the whole run: Spectre's own speed follows the bar's value, which stops at
    /// the bar's maximum when the total is unknown (CSV sources).
    /// </summary>
    private sealed class RowsPerSecondColumn(Func<double> rowsPerSecond) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{rowsPerSecond():N0} rows/s"), new Style(Color.Grey));
    }
}
