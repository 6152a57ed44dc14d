using System.Globalization;
using Spectre.Console;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.Jobs;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Verify;

/// <summary>
/// The plan before a comparison and the report after it: for people a heading and one figure a line, numbers
/// right-aligned; for machines (<c>--log-format json</c>) one JSON object each.
/// </summary>
internal sealed partial class VerifyRunner
{
    private const int MaxRangesShown = 20;

    private void PrintPlan(VerifyPlan plan)
    {
        string shard = _settings.ShardCount > 1 ? string.Create(CultureInfo.InvariantCulture, $"{_settings.ShardIndex} of {_settings.ShardCount}") : "all rows";
        if (JsonLines.IsOn)
        {
            JsonLines.Write("plan", new
            {
                plan.Source,
                Table = plan.TableName,
                plan.Bigtable,
                Keys = plan.Keys.ToString(),
                Session = plan.Session?.Name,
                SnapshotTime = plan.Session?.SnapshotTime,
                plan.ExpectedRows,
                KeyRanges = plan.RangeCount,
                ExtrasWrittenBy = plan.NewerThan,
                Shard = shard,
            });
            return;
        }

        AnsiConsole.MarkupLine("[bold]Verification plan[/]");
        var grid = new Grid().AddColumn(MigrationRunner.LabelColumn()).AddColumn(new GridColumn { Padding = new Padding(0) });
        grid.AddRow(new Text("source"), new Text(plan.Source));
        grid.AddRow(new Text("table"), new Text($"{plan.TableName} ({plan.Bigtable})"));
        grid.AddRow(new Text("keys"), new Text(plan.Keys.ToString()));
        if (plan.Session is { } session)
        {
            grid.AddRow(new Text("read session"), new Text(string.Create(CultureInfo.InvariantCulture, $"{session.Name}, snapshot {session.SnapshotTime:O}, {session.Streams.Count} streams")));
        }

        grid.AddRow(new Text("key ranges"), new Text(MigrateCommand.Count(plan.RangeCount)));
        if (plan.NewerThan is { } newest)
        {
            grid.AddRow(new Text("extras"), new Text(string.Create(CultureInfo.InvariantCulture, $"table rows with a cell at or before {newest:O} (later ones were written after the snapshot)")));
        }

        grid.AddRow(new Text("shard"), new Text(shard));
        Screen.Write(grid);
    }

    private static void PrintReport(ComparisonReport report)
    {
        if (JsonLines.IsOn)
        {
            JsonLines.Write("report", report);
            return;
        }

        AnsiConsole.MarkupLine("[bold]Verification report[/]");
        Grid grid = new Grid()
            .AddColumn(MigrationRunner.LabelColumn())
            .AddColumn(new GridColumn { Padding = new Padding(0, 0, 1, 0) }.RightAligned())
            .AddColumn(new GridColumn { Padding = new Padding(0) });
        Figure(grid, "source rows", report.SourceRows, report.Superseded > 0 ? "rows = matched + superseded + missing + changed" : "rows = matched + missing + changed");
        Figure(grid, "matched", report.Matched, "rows as the source has them");
        if (report.Superseded > 0)
        {
            Figure(grid, "superseded", report.Superseded, "rows a newer event overwrote since (not a difference)");
        }

        Figure(grid, "missing", report.Missing, "rows not in the table");
        Figure(grid, "changed", report.Changed, "rows whose cells at their event time differ");
        Figure(grid, "rejected", report.Rejected, "source records no migration writes (dead letters)");
        Figure(grid, "table rows", report.TableRows, "rows in the table");
        Figure(grid, "extra", report.Extra, "table rows no source row maps to");
        Figure(grid, "key ranges", report.RangeCount, $"{MigrateCommand.Count(report.RangesCheckedExactly)} searched key by key");
        Figure(grid, "source reads", report.SourcePasses, "passes over the source");
        Screen.Write(grid);
        if (report.Differences.Count > 0)
        {
            PrintDifferences(report.Differences);
        }

        AnsiConsole.MarkupLine(report.IsIdentical
            ? "[green]Identical:[/] every source row is in the table as the source has it, and the table holds no other row."
            : $"[red]Differences:[/] {MigrateCommand.Count(report.Missing)} missing, {MigrateCommand.Count(report.Changed)} changed, {MigrateCommand.Count(report.Extra)} extra.");
    }

    private static void PrintDifferences(IReadOnlyList<RangeDifference> differences)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]By key range[/] ({differences.Count} ranges with differences; rows)");
        var grid = new Grid().AddColumn(MigrationRunner.LabelColumn());
        for (int i = 0; i < 3; i++)
        {
            grid.AddColumn(new GridColumn { Padding = new Padding(0, 0, 2, 0) }.RightAligned());
        }

        grid.AddRow(new Text(string.Empty), new Text("missing"), new Text("changed"), new Text("extra"));
        foreach (RangeDifference range in differences.Take(MaxRangesShown))
        {
            grid.AddRow(new Text(range.Range), Count(range.Missing), Count(range.Changed), Count(range.Extra));
        }

        Screen.Write(grid);
        foreach (RangeDifference range in differences)
        {
            Keys("missing", range.MissingKeys, range.Range);
            Keys("changed", range.ChangedKeys, range.Range);
            Keys("extra", range.ExtraKeys, range.Range);
        }

        static Text Count(long value) => new(MigrateCommand.Count(value));

        static void Keys(string what, IReadOnlyList<string> keys, string range)
        {
            foreach (string key in keys)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{what}[/] {key}  in {range}");
            }
        }
    }

    private static void Figure(Grid grid, string label, long value, string unit) =>
        grid.AddRow(new Text(label), new Text(MigrateCommand.Count(value)), new Text(unit));
}
