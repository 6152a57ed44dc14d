using System.CommandLine;
using System.Globalization;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Files;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Cli.EmulatorCommands;

/// <summary>Reading and checking the options, and opening the sources behind each <c>--table</c>.</summary>
internal static partial class BigQueryEmulatorCommand
{
    /// <summary>Checks every option and reports all problems together, each naming the option and its value.</summary>
    private static bool TryReadOptions(ParseResult parse, out int port, out List<TableSpec> specs, out List<string> errors)
    {
        errors = [];
        specs = [];
        port = parse.GetValue(Port);
        if (port is < 0 or > 65_535)
        {
            errors.Add($"--port is {port}; allowed 0 to 65535 (0 picks a free port).");
        }

        if (LogFormats.Problem(parse.GetValue(LogFormat)) is { } logFormatProblem)
        {
            errors.Add(logFormatProblem);
        }

        string host = parse.GetValue(Host)!;
        if (host is not ("127.0.0.1" or "localhost"))
        {
            errors.Add($"--host is '{host}'; only loopback is supported (127.0.0.1 or localhost): the emulator has no TLS and no authentication.");
        }

        string[] tables = parse.GetValue(Tables) ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string value in tables)
        {
            if (!TableSpec.TryParse(value, out TableSpec? spec, out string error))
            {
                errors.Add(error);
            }
            else if (!names.Add(spec!.Name))
            {
                errors.Add($"--table '{value}': {spec.Name} is given twice.");
            }
            else
            {
                specs.Add(spec);
            }
        }

        if (tables.Length == 0)
        {
            specs.Add(TableSpec.Sample);
        }

        return errors.Count == 0;
    }

    /// <summary>Opens every source (file sources read their headers or footers now), adding a problem per table that cannot be read.</summary>
    private static async Task<List<(TableSpec Spec, IRowSource Source)>> OpenSourcesAsync(List<TableSpec> specs, List<string> errors, CancellationToken cancellationToken)
    {
        var sources = new List<(TableSpec, IRowSource)>(specs.Count);
        foreach (TableSpec spec in specs)
        {
            try
            {
                sources.Add((spec, await OpenAsync(spec, cancellationToken).ConfigureAwait(false)));
            }
            catch (Exception e) when (e is FileSourceException or ArgumentException or IOException)
            {
                errors.Add($"--table '{spec.Name}={spec.Source}': {e.Message}");
            }
        }

        return sources;
    }

    private static async Task<IRowSource> OpenAsync(TableSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Synthetic is { } synthetic)
        {
            return new SyntheticSource(synthetic);
        }

        (string baseDirectory, string glob) = spec.Files;
        return glob.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? await ParquetFileSource.OpenAsync(baseDirectory, glob, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await CsvFileSource.OpenAsync(baseDirectory, glob, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static void WriteTable(TableSpec spec, IRowSource source, bool json)
    {
        long rejected = source is CsvFileSource csv ? csv.RowsRejected : 0;
        if (json)
        {
            JsonLines.Write("table", new { spec.Name, Source = source.Description, Rows = source.ExpectedRows, RowsSkipped = rejected });
            return;
        }

        string rows = source.ExpectedRows is { } expected ? string.Create(CultureInfo.InvariantCulture, $", {expected:N0} rows") : string.Empty;
        string skipped = rejected > 0 ? string.Create(CultureInfo.InvariantCulture, $", {rejected:N0} rows skipped for unparseable values") : string.Empty;
        Console.Out.WriteLine($"table {spec.Name}: {source.Description}{rows}{skipped}");
    }
}
