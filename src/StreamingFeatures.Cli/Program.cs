using System.CommandLine;
using System.CommandLine.Invocation;
using StreamingFeatures.Cli.EmulatorCommands;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Cli.Options;

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
        root.WithExitCodes(
            new ExitCode(ExitCodes.Success, "Done (each command's --help says what done means for it)."),
            new ExitCode(ExitCodes.Failure, "Any other failure (a service unreachable, a fatal write fault, a stop past its deadline)."),
            new ExitCode(ExitCodes.BadInput, "Bad input or configuration, found before anything was written."),
            new ExitCode(ExitCodes.VerificationFailed, "Verification found missing or changed rows."),
            new ExitCode(ExitCodes.Regressed, "loadtest: the run fell behind its baseline beyond a threshold."),
            new ExitCode(ExitCodes.Stopped, "Stopped on request (Ctrl+C, SIGTERM) after draining; progress is kept."));
        ExitCodeHelp.Install(root);
        VersionText.Install(root);
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // Bad input: the errors alone, last on screen, and where the help is; not the whole help above them.
            return ParseErrors.Report(parse, Console.Error);
        }

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

        return exit;
    }
}
