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
        // SIGTERM (a pod's stop) cancels the command; give the drain its 30 s and the checkpoint its last save before
        // the library gives up on the command (its default is 2 s). The ingest service is a Generic Host that handles
        // the signals itself, within its own --shutdown-timeout: the library must not cut it short.
        TimeSpan? termination = IngestCommand.OwnsSignals(parse) ? null : TimeSpan.FromSeconds(45);
        int exit = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = termination }).ConfigureAwait(false);

        // System.CommandLine prints parse errors (unknown option, a value of the wrong type) with exit 1; they are bad input.
        return parse.Errors.Count > 0 ? ExitCodes.BadInput : exit;
    }
}
