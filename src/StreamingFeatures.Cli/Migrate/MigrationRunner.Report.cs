using Spectre.Console;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>The report: every row of the migration, all runs together.</summary>
internal sealed partial class MigrationRunner
{
    /// <summary>The migration's figures: committed totals of every run, with this run's checksums where it has them.</summary>
    private IntegrityReport Combined(RowStats totals, IntegrityReport? run) => new()
    {
        Mode = _settings.Verification.Mode,
        RowsRead = totals.Read,
        RowsWritten = totals.Written,
        DeadLettered = totals.DeadLettered,
        RowsVerified = totals.Verified,
        Matched = totals.Matched,
        Missing = totals.Missing,
        Changed = totals.Changed,
        Retries = totals.Retries,
        ByPartition = run?.ByPartition ?? new Dictionary<int, Checksum>(),
        ByBucket = run?.ByBucket ?? new Dictionary<int, Checksum>(),
    };

    private async Task<int> FinishAsync(IntegrityReport report, MigrationCheckpoint checkpoint, bool stopped)
    {
        report = report with { MissingKeys = checkpoint.MissingKeys, ChangedKeys = checkpoint.ChangedKeys };
        var summary = MigrationSummary.From(report, TimeSpan.FromSeconds(checkpoint.ElapsedSeconds), checkpoint.CpuSeconds, checkpoint.PeakWorkingSetBytes, stopped, checkpoint.Runs);
        PrintReport(report, summary, checkpoint.Runs);
        if (_settings.SummaryJson is { } summaryFile)
        {
            await File.WriteAllTextAsync(summaryFile.FullName, summary.ToJson(), CancellationToken.None).ConfigureAwait(false);
        }

        if (stopped)
        {
            AnsiConsole.MarkupLineInterpolated($"Stopped: progress is saved ({_store?.Description ?? "no checkpoint"}); the same command resumes.");
            return ExitCodes.Stopped;
        }

        return report.Missing > 0 || report.Changed > 0 ? ExitCodes.VerificationFailed : ExitCodes.Success;
    }

    private void PrintReport(IntegrityReport report, MigrationSummary summary, int runs)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("rows read", MigrateCommand.Count(report.RowsRead));
        grid.AddRow("rows written", MigrateCommand.Count(report.RowsWritten));
        grid.AddRow("dead-lettered", Markup.Escape(MigrateCommand.Count(report.DeadLettered) + (report.DeadLettered > 0 ? $" (see {_settings.DeadLetterFile.FullName})" : string.Empty)));
        grid.AddRow("verified", $"{MigrateCommand.Count(report.Matched)} matched, {MigrateCommand.Count(report.Missing)} missing, {MigrateCommand.Count(report.Changed)} changed ({report.Mode})");
        grid.AddRow("retries", MigrateCommand.Count(report.Retries));
        grid.AddRow("time", $"{summary.ElapsedSeconds:0.0} s, {summary.RowsPerSecond:N0} rows/s, {summary.CpuSeconds:0.0} CPU-s, peak {summary.PeakWorkingSetBytes / (1024 * 1024):N0} MiB" + (runs > 1 ? $" ({runs} runs)" : string.Empty));
        AnsiConsole.Write(grid);
        foreach (string key in report.MissingKeys.Take(10))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]missing[/] {key}");
        }

        foreach (string key in report.ChangedKeys.Take(10))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]changed[/] {key}");
        }
    }

    /// <summary>Samples the working set while a job runs; Process.PeakWorkingSet64 is not reliable on every OS.</summary>
    private sealed class PeakWorkingSet : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public PeakWorkingSet() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));

        public long Bytes
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _peak);
            }
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            long now = Environment.WorkingSet;
            long seen;
            while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
            {
            }
        }
    }
}
