using System.Globalization;
using Spectre.Console;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>The plan before a run, and the report after it: every row of the migration, all runs together.</summary>
internal sealed partial class MigrationRunner
{
    private void PrintPlan(MigrationPlan plan, MigrationJob job)
    {
        if (Options.JsonLines.IsOn)
        {
            Options.JsonLines.Write("plan", new
            {
                plan.Source,
                Target = plan.TableName,
                plan.Bigtable,
                Keys = plan.Keys.ToString(),
                Verify = Typed(_settings.Verification.Mode),
                plan.RowRestriction,
                Session = plan.Session?.Name,
                SnapshotTime = plan.Session?.SnapshotTime,
                Streams = plan.Session?.Streams.Count,
                EstimatedRows = plan.Session?.EstimatedRowCount,
                EstimatedBytesScanned = plan.Session?.EstimatedTotalBytesScanned,
                Checkpoint = job.CheckpointDescription,
                ResumedRows = job.Checkpoint?.Totals.Read,
            });
            return;
        }

        AnsiConsole.MarkupLine("[bold]Migration plan[/]");
        var grid = new Grid().AddColumn(LabelColumn()).AddColumn(new GridColumn { Padding = new Padding(0) });
        grid.AddRow(Plain("source"), Plain(plan.Source));
        grid.AddRow(Plain("target"), Plain($"{plan.TableName} ({plan.Bigtable})"));
        grid.AddRow(Plain("keys"), Plain(plan.Keys.ToString()));
        grid.AddRow(Plain("verify"), Plain(Typed(_settings.Verification.Mode)));
        if (plan.RowRestriction is { } restriction)
        {
            grid.AddRow(Plain("row restriction"), Plain(restriction));
        }

        if (plan.Session is { } session)
        {
            grid.AddRow(Plain("read session"), Plain(string.Create(CultureInfo.InvariantCulture, $"{session.Name}, snapshot {session.SnapshotTime:O}, {session.Streams.Count} streams")));
            grid.AddRow(Plain("estimated scan"), Plain(ScanEstimate(session.EstimatedTotalBytesScanned, session.EstimatedRowCount)));
        }

        if (job.Checkpoint is { } checkpoint)
        {
            grid.AddRow(Plain("checkpoint"), Plain($"Resuming from {job.CheckpointDescription}: {MigrateCommand.Count(checkpoint.Totals.Read)} rows done in {checkpoint.Runs} earlier run(s)."));
        }
        else if (job.CheckpointDescription is { } description)
        {
            grid.AddRow(Plain("checkpoint"), Plain(description));
        }

        Options.Screen.Write(grid);
    }

    /// <summary>An enum value as its flag takes it (<c>full</c>, not <c>Full</c>).</summary>
    internal static string Typed(Enum value) => value.ToString().ToLowerInvariant();

    /// <summary>Text shown as it is: never read as markup, so brackets in paths and filters print.</summary>
    private static Text Plain(string text) => new(text);

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
}
