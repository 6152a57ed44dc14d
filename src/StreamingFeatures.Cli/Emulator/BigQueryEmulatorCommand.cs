using System.CommandLine;
using System.Globalization;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources;

namespace StreamingFeatures.Cli.EmulatorCommands;

/// <summary>
/// <c>streamingfeatures emulator bigquery</c>: the built-in BigQuery Storage Read emulator on its own, for other tools
/// and clients. Prints one line per table, then the endpoint, and serves until Ctrl+C or SIGTERM.
/// </summary>
internal static partial class BigQueryEmulatorCommand
{
    /// <summary>The variable the last start-up line sets, so scripts can <c>export</c> it as printed.</summary>
    public const string EndpointVariable = "BIGQUERY_STORAGE_EMULATOR_HOST";

    private static readonly Option<int> Port = new Option<int>("--port") { Description = "Port to listen on (0 to 65535); 0 picks a free one, printed at start.", DefaultValueFactory = _ => 0 }.WholeNumber(0, 65_535);
    private static readonly Option<string> Host = new("--host") { Description = "Address to listen on. Only loopback (127.0.0.1 or localhost) is supported: the emulator has no TLS and no authentication.", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<string[]> Tables = new("--table") { Description = $"A table to serve, repeatable: NAME=SPEC, NAME projects/P/datasets/D/tables/T, SPEC {TableSpec.AllowedSources}. Default: {TableSpec.Sample.Name}={TableSpec.Sample.Source}.", Arity = ArgumentArity.OneOrMore };
    private static readonly Option<int> RowsPerSecond = new Option<int>("--rows-per-second") { Description = "Rows a second each ReadRows call serves at most (0 to 10000000; 0, the default, as fast as the client reads): a slow scan, to test stragglers and work stealing.", DefaultValueFactory = _ => 0 }.WholeNumber(0, 10_000_000);
    private static readonly Option<bool> StopOnStdinClose = new("--stop-on-stdin-close") { Description = "Also stop when standard input closes, so a parent process that dies takes the emulator with it." };

    private static readonly Option<string?> LogFormat = LogFormats.Option("each table served, then the endpoint as {\"listening\": {\"endpoint\": ..., \"variable\": ...}}");

    public static Command Create()
    {
        var command = new Command("bigquery", "Run the BigQuery Storage Read API emulator (gRPC, plaintext HTTP/2 on loopback) until Ctrl+C or SIGTERM.")
        {
            Port, Host, Tables, RowsPerSecond, StopOnStdinClose, LogFormat,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cancellationToken));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "Stopped by Ctrl+C, SIGTERM or (with --stop-on-stdin-close) closed standard input."),
            new ExitCode(ExitCodes.Failure, "A table could not be loaded after the emulator started."),
            new ExitCode(ExitCodes.BadInput, "A bad --port, --host, --rows-per-second or --table (name, source, unreadable file), or the port is taken; nothing was served."));
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken stop)
    {
        if (!TryReadOptions(parse, out int port, out List<TableSpec> specs, out List<string> errors))
        {
            return BadInput(errors);
        }

        bool json = LogFormats.Resolve(parse.GetValue(LogFormat)) == Options.LogFormat.Json;

        List<(TableSpec Spec, IRowSource Source)> sources = await OpenSourcesAsync(specs, errors, stop).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return BadInput(errors);
        }

        BigQueryStorageEmulator emulator;
        try
        {
            emulator = await BigQueryStorageEmulator.StartAsync(new BigQueryEmulatorOptions { Port = port, RowsPerSecond = parse.GetValue(RowsPerSecond) }, stop).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return BadInput([$"--port is {port}; cannot listen there: {e.Message}"]);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }

        await using (emulator.ConfigureAwait(false))
        {
            // Materialised before the endpoint is printed, so a client that waits for that line finds every table ready.
            foreach ((TableSpec spec, IRowSource source) in sources)
            {
                try
                {
                    await emulator.AddTableAsync(spec.Project, spec.Dataset, spec.Table, source, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    Say("Stopped before every table was loaded.", json);
                    return ExitCodes.Success;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Console.Error.WriteLine($"error: table {spec.Name} ({spec.Source}) could not be loaded: {e.Message}");
                    return ExitCodes.Failure;
                }

                WriteTable(spec, source, json);
            }

            if (json)
            {
                JsonLines.Write("listening", new { Endpoint = emulator.Endpoint, Variable = EndpointVariable });
            }
            else
            {
                Console.Out.WriteLine($"BigQuery Storage Read emulator listening on {emulator.Endpoint} (gRPC, plaintext HTTP/2); Ctrl+C or SIGTERM stops it.");
                Console.Out.WriteLine($"{EndpointVariable}={emulator.Endpoint}");
            }

            await WaitForStopAsync(parse.GetValue(StopOnStdinClose), stop).ConfigureAwait(false);
            Say("Stopping the BigQuery Storage Read emulator.", json);
            WriteRowsServed(emulator.RowsServed(), json);
        }

        return ExitCodes.Success;
    }

    private static void Say(string message, bool json)
    {
        if (json)
        {
            JsonLines.Write("message", message);
        }
        else
        {
            Console.Out.WriteLine(message);
        }
    }

    /// <summary>One line per session (rows served per stream), then the total: what every client read, re-reads included.</summary>
    private static void WriteRowsServed(IReadOnlyList<SessionRowsServed> sessions, bool json)
    {
        if (json)
        {
            JsonLines.Write("rowsServed", new
            {
                Total = sessions.Sum(s => s.Total),
                Sessions = sessions.Select(s => new { s.Session, s.Table, s.Total, ByStream = s.ByStream.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value) }),
            });
            return;
        }

        foreach (SessionRowsServed session in sessions)
        {
            string streams = string.Join(", ", session.ByStream.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}={s.Value}")));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rows served by session {session.Session} ({session.Table}): {session.Total} [streams {streams}]"));
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rows served: {sessions.Sum(s => s.Total)} in {sessions.Count} session(s)."));
    }

    private static int BadInput(List<string> errors)
    {
        foreach (string error in errors)
        {
            Console.Error.WriteLine("error: " + Configuration.SettingSources.Current.Annotate(error));
        }

        return ExitCodes.BadInput;
    }
}
