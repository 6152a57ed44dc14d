using Spectre.Console;
using StreamingFeatures.Jobs;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>The plan before a run, and the report after it: every row of the migration, all runs together.</summary>
internal sealed partial class MigrationRunner
{
    private void PrintPlan(MigrationPlan plan, MigrationJob job)
    {
        AnsiConsole.MarkupLineInterpolated($"Migrating [bold]{plan.Source}[/] into [bold]{plan.TableName}[/] ({plan.Bigtable}), keys {plan.Keys}, verify {_settings.Verification.Mode}.");
        if (plan.RowRestriction is { } restriction)
        {
            AnsiConsole.MarkupLineInterpolated($"Row restriction: {restriction}");
        }

        if (plan.Session is { } session)
        {
            AnsiConsole.MarkupLineInterpolated($"Read session {session.Name}, snapshot {session.SnapshotTime:O}, {session.Streams.Count} streams.");
        }

        if (job.Checkpoint is { } checkpoint)
        {
            AnsiConsole.MarkupLineInterpolated($"Resuming from {job.CheckpointDescription}: {MigrateCommand.Count(checkpoint.Totals.Read)} rows done in {checkpoint.Runs} earlier run(s).");
        }
        else if (job.CheckpointDescription is { } description)
        {
            AnsiConsole.MarkupLineInterpolated($"Checkpoint: {description}");
        }
    }

    private async Task<int> FinishAsync(MigrationResult result, MigrationJob job)
    {
        PrintReport(result.Report, result.Summary);
        if (_settings.SummaryJson is { } summaryFile)
        {
            await File.WriteAllTextAsync(summaryFile.FullName, result.Summary.ToJson(), CancellationToken.None).ConfigureAwait(false);
        }

        if (result.Stopped)
        {
            AnsiConsole.MarkupLineInterpolated($"Stopped: progress is saved ({job.CheckpointDescription ?? "no checkpoint"}); the same command resumes.");
            return ExitCodes.Stopped;
        }

        return result.VerificationFailed ? ExitCodes.VerificationFailed : ExitCodes.Success;
    }

    private void PrintReport(IntegrityReport report, MigrationSummary summary)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("rows read", MigrateCommand.Count(report.RowsRead));
        grid.AddRow("rows written", MigrateCommand.Count(report.RowsWritten));
        grid.AddRow("dead-lettered", Markup.Escape(MigrateCommand.Count(report.DeadLettered) + (report.DeadLettered > 0 ? $" (see {_settings.DeadLetterFile.FullName})" : string.Empty)));
        grid.AddRow("verified", $"{MigrateCommand.Count(report.Matched)} matched, {MigrateCommand.Count(report.Missing)} missing, {MigrateCommand.Count(report.Changed)} changed ({report.Mode})");
        grid.AddRow("retries", MigrateCommand.Count(report.Retries));
        grid.AddRow("time", $"{summary.ElapsedSeconds:0.0} s, {summary.RowsPerSecond:N0} rows/s, {summary.CpuSeconds:0.0} CPU-s, peak {summary.PeakWorkingSetBytes / (1024 * 1024):N0} MiB" + (summary.Runs > 1 ? $" ({summary.Runs} runs)" : string.Empty));
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
}
