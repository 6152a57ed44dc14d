using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.FeatureSets;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.Cli.EmulatorCommands;

/// <summary>
/// <c>streamingfeatures emulator read-rows</c>: the first rows of a table on the Bigtable emulator, each cell decoded
/// by its feature's type (int64, float64, bool, timestamp: the BINARY encoding <c>cbt read</c> shows as raw bytes).
/// </summary>
internal static class ReadRowsCommand
{
    public const string HostVariable = "BIGTABLE_EMULATOR_HOST";
    public const string DefaultInstance = "projects/local/instances/local";

    private static readonly Option<string> Host = EmulatorAddress.HostOption(HostVariable);
    private static readonly Option<string> Table = new("--table") { Description = "The table id.", Required = true };
    private static readonly Option<string> Instance = new("--instance") { Description = "The instance, projects/P/instances/I.", DefaultValueFactory = _ => DefaultInstance };
    private static readonly Option<FileInfo> FeatureSet = new("--feature-set") { Description = "The feature set (JSON or YAML) whose types decode the cells. Default: the built-in sample, as ingest --local and migrate --local write it." };
    private static readonly Option<int> Limit = new Option<int>("--limit") { Description = "Most rows to print (1 to 10000).", DefaultValueFactory = _ => 5 }.WholeNumber(1, 10_000);
    private static readonly Option<string?> LogFormat = LogFormats.Option("a row per line with its cells typed, then the count");

    public static Command Create()
    {
        var command = new Command("read-rows", "Print the first rows of a table on the Bigtable emulator, cells decoded by the feature set's types.")
        {
            Host, Table, Instance, FeatureSet, Limit, LogFormat,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "Printed the rows there are (possibly none)."),
            new ExitCode(ExitCodes.Failure, "The emulator refused the read (e.g. no such table)."),
            new ExitCode(ExitCodes.BadInput, "No emulator named, or a bad --feature-set, --limit or --log-format."));
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string? host = EmulatorAddress.Resolve(parse, Host, HostVariable);
        if (host is null || !LogFormats.TryRead(parse, LogFormat, out bool json))
        {
            return ExitCodes.BadInput;
        }

        FeatureSetOptions featureSet;
        try
        {
            featureSet = parse.GetValue(FeatureSet) is { } file ? FeatureSetLoader.Load(file.FullName) : SourceSpec.Sample(1).FeatureSet(IngestCommand.SampleTable);
        }
        catch (FeatureSetException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }

        string tableName = $"{parse.GetRequiredValue(Instance)}/tables/{parse.GetRequiredValue(Table)}";
        var decoder = new CellDecoder(featureSet);
        using GrpcChannel channel = EmulatorAddress.Channel(host);
        var merger = new ReadRowsMerger();
        int rows = 0;
        try
        {
            using AsyncServerStreamingCall<ReadRowsResponse> call = new BigtableClient(channel).ReadRows(
                new ReadRowsRequest { TableName = tableName, RowsLimit = parse.GetValue(Limit) },
                cancellationToken: cancellationToken);
            await foreach (ReadRowsResponse response in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                foreach (Row row in merger.Add(response))
                {
                    if (json)
                    {
                        JsonLines.Write("row", Json(row, decoder));
                    }
                    else
                    {
                        Print(row, decoder);
                    }

                    rows++;
                }
            }
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"error: reading {tableName} from the Bigtable emulator at {host} failed with {e.StatusCode} ({e.Status.Detail}).");
            return ExitCodes.Failure;
        }

        if (json)
        {
            JsonLines.Write("summary", new { Table = tableName, Rows = rows });
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows} rows of {tableName}."));
        }

        return ExitCodes.Success;
    }

    /// <summary>The key and, per column, its newest cell typed (numbers as numbers), its time and how many older cells it has.</summary>
    private static JsonObject Json(Row row, CellDecoder decoder)
    {
        var cells = new JsonArray();
        foreach (Family family in row.Families)
        {
            foreach (Column column in family.Columns)
            {
                Cell newest = column.Cells[0];
                string qualifier = column.Qualifier.ToStringUtf8();
                cells.Add(new JsonObject
                {
                    ["column"] = $"{family.Name}:{qualifier}",
                    ["value"] = decoder.DecodeJson(family.Name, qualifier, newest.Value.Span),
                    ["timestamp"] = CellDecoder.Time(newest.TimestampMicros),
                    ["olderCells"] = column.Cells.Count - 1,
                });
            }
        }

        return new JsonObject { ["key"] = row.Key.ToStringUtf8(), ["cells"] = cells };
    }

    /// <summary>The key, then a line a column: its newest cell decoded, with the cell's timestamp (the event time).</summary>
    private static void Print(Row row, CellDecoder decoder)
    {
        Console.WriteLine(row.Key.ToStringUtf8());
        foreach (Family family in row.Families)
        {
            foreach (Column column in family.Columns)
            {
                Cell newest = column.Cells[0];
                string older = column.Cells.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (+{column.Cells.Count - 1} older)") : string.Empty;
                string qualifier = column.Qualifier.ToStringUtf8();
                Console.WriteLine($"  {family.Name}:{qualifier} = {decoder.Decode(family.Name, qualifier, newest.Value.Span)} @ {CellDecoder.Time(newest.TimestampMicros)}{older}");
            }
        }
    }
}
