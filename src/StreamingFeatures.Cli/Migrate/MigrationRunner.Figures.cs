using System.Globalization;
using Spectre.Console;
using StreamingFeatures.Jobs;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// The report after a run: a heading, then one figure a line, numbers right-aligned in one column with their unit
/// beside, so a reader sees read = written + dead-lettered + skipped; per source too when there are several.
/// </summary>
internal sealed partial class MigrationRunner
{
    private const int MaxSourcesShown = 20;

    private void PrintReport(IntegrityReport report, MigrationSummary summary)
    {
        if (Options.JsonLines.IsOn)
        {
            // The same figures as --summary-json, so a pipe needs no file.
            Options.JsonLines.WriteRaw("summary", summary.ToJson());
            return;
        }

        // Without per-source figures (nothing committed) the totals of every run stand alone.
        long written = summary.Sources.Count > 0 ? summary.Sources.Sum(s => s.Written) : report.RowsWritten;
        long deadLettered = summary.Sources.Count > 0 ? summary.Sources.Sum(s => s.DeadLettered) : report.DeadLettered;
        string runs = summary.Runs > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({summary.Runs} runs)") : string.Empty;
        AnsiConsole.MarkupLine("[bold]Migration report[/]");
        Grid grid = FigureGrid();
        Figure(grid, "read", report.RowsRead, "rows = written + dead-lettered + skipped");
        Figure(grid, "written", written, "rows, this run");
        Figure(grid, "dead-lettered", deadLettered, "rows, this run" + (report.DeadLettered > 0 ? $" (all runs: see {_settings.DeadLetterFile.FullName})" : string.Empty));
        Figure(grid, "skipped", summary.RowsSkipped, "rows done by earlier runs");
        Figure(grid, "verified", report.RowsVerified, $"rows read back (verify {Typed(report.Mode)})");
        Figure(grid, "missing", report.Missing, "rows not found in the table");
        Figure(grid, "changed", report.Changed, "rows that differ from the source");
        if (report.Superseded > 0)
        {
            Figure(grid, "superseded", report.Superseded, "rows a newer event overwrote (not a difference)");
        }

        Figure(grid, "retries", report.Retries, "entries written again");
        Figure(grid, "time", Number(summary.ElapsedSeconds, "0.0"), "s" + runs);
        Figure(grid, "rate", Number(summary.RowsPerSecond, "N0"), "rows/s");
        Figure(grid, "CPU", Number(summary.CpuSeconds, "0.0"), "CPU-s");
        Figure(grid, "peak memory", MigrateCommand.Count(summary.PeakWorkingSetBytes / (1024 * 1024)), "MiB");
        if (summary.ReadSession is { } session)
        {
            Figure(grid, "streams", session.Streams, "in the BigQuery read session");
            Figure(grid, "scanned", session.EstimatedBytesScanned, $"bytes, BigQuery's estimate ({Bytes(session.EstimatedBytesScanned)}; on-demand pricing bills it)");
        }
        if (summary.TakenOver.Count > 0)
        {
            Figure(grid, "taken over", summary.TakenOver.Sum(t => t.Rows), string.Create(CultureInfo.InvariantCulture, $"rows of {summary.TakenOver.Count} stream(s) split from other shards' (work stealing)"));
        }

        Options.Screen.Write(grid);
        if (summary.Sources.Count > 1)
        {
            PrintSources(summary.Sources);
        }

        foreach (string key in report.MissingKeys.Take(10))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]missing[/] {key}");
        }

        foreach (string key in report.ChangedKeys.Take(10))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]changed[/] {key}");
        }
    }

    /// <summary>One line a source: read, then the three parts it splits into, each right-aligned.</summary>
    private static void PrintSources(IReadOnlyList<SourceFigures> sources)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]By source[/] ({sources.Count} sources; rows)");
        var grid = new Grid().AddColumn(LabelColumn());
        for (int i = 0; i < 4; i++)
        {
            grid.AddColumn(new GridColumn { Padding = new Padding(0, 0, 2, 0) }.RightAligned());
        }

        grid.AddRow(new Text(string.Empty), new Text("read"), new Text("written"), new Text("dead-lettered"), new Text("skipped"));
        foreach (SourceFigures source in sources.Take(MaxSourcesShown))
        {
            grid.AddRow(new Text(source.Source), Count(source.Read), Count(source.Written), Count(source.DeadLettered), Count(source.Skipped));
        }

        Options.Screen.Write(grid);
        if (sources.Count > MaxSourcesShown)
        {
            AnsiConsole.MarkupLineInterpolated($"  and {sources.Count - MaxSourcesShown} more (every source is in --summary-json)");
        }

        static Text Count(long value) => new(MigrateCommand.Count(value));
    }

    private static Grid FigureGrid() => new Grid()
        .AddColumn(LabelColumn())
        .AddColumn(new GridColumn { Padding = new Padding(0, 0, 1, 0) }.RightAligned())
        .AddColumn(new GridColumn { Padding = new Padding(0) });

    /// <summary>Labels indented under their heading, two spaces from what follows.</summary>
    internal static GridColumn LabelColumn() => new() { Padding = new Padding(2, 0, 2, 0) };

    private static void Figure(Grid grid, string label, long value, string unit) => Figure(grid, label, MigrateCommand.Count(value), unit);

    private static void Figure(Grid grid, string label, string value, string unit) =>
        grid.AddRow(new Text(label), new Text(value), new Text(unit));

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>"1.5 GiB (1,610,612,736 bytes) for about 10,000,000 rows", or a word when the service gave no estimate.</summary>
    internal static string ScanEstimate(long bytes, long rows) => bytes <= 0
        ? "not estimated by the service"
        : string.Create(CultureInfo.InvariantCulture, $"{Bytes(bytes)} ({MigrateCommand.Count(bytes)} bytes) for about {MigrateCommand.Count(rows)} rows; on-demand pricing bills the bytes scanned");

    /// <summary>Bytes in the largest binary unit that keeps the figure at 1 or more, one decimal.</summary>
    internal static string Bytes(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes") : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
