using System.CommandLine;
using StreamingFeatures.Cli.Migrate;

namespace StreamingFeatures.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("StreamingFeatures: feeds and serves an ML feature store on Google Cloud Bigtable.")
        {
            MigrateCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
