using System.CommandLine;
using StreamingFeatures.Cli.EmulatorCommands;
using StreamingFeatures.Cli.Migrate;

namespace StreamingFeatures.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("StreamingFeatures: feeds and serves an ML feature store on Google Cloud Bigtable.")
        {
            MigrateCommand.Create(),
            EmulatorCommand.Create(),
        };
        ParseResult parse = root.Parse(args);
        int exit = await parse.InvokeAsync().ConfigureAwait(false);

        // System.CommandLine prints parse errors (unknown option, a value of the wrong type) with exit 1; they are bad input.
        return parse.Errors.Count > 0 ? ExitCodes.BadInput : exit;
    }
}
