using System.CommandLine;
using StreamingFeatures.Cli.EmulatorCommands;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.Cli.Migrate;

namespace StreamingFeatures.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("StreamingFeatures: feeds and serves an ML feature store on Google Cloud Bigtable.")
        {
            MigrateCommand.Create(),
            IngestCommand.Create(),
            EmulatorCommand.Create(),
            LoadTest.LoadTestCommand.Create(),
        };
        ParseResult parse = root.Parse(args);

        // The library's own signal handling is off: see TerminationSignals. The ingest service is a Generic Host that
        // handles SIGTERM and Ctrl+C itself, within its own --shutdown-timeout.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        int exit;
        if (IngestCommand.OwnsSignals(parse))
        {
            exit = await parse.InvokeAsync(invocation).ConfigureAwait(false);
        }
        else
        {
            // SIGTERM (a pod's stop) gives the drain its 30 s and the checkpoint its last save.
            using var signals = new TerminationSignals(TimeSpan.FromSeconds(45));
            exit = await signals.RunAsync(stop => parse.InvokeAsync(invocation, stop)).ConfigureAwait(false);
        }

        // System.CommandLine prints parse errors (unknown option, a value of the wrong type) with exit 1; they are bad input.
        return parse.Errors.Count > 0 ? ExitCodes.BadInput : exit;
    }
}
