using System.CommandLine;
using System.CommandLine.Invocation;
using Spectre.Console;
using StreamingFeatures.Cli.Configuration;
using StreamingFeatures.Cli.EmulatorCommands;
using StreamingFeatures.Cli.Ingest;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Cli.Options;

namespace StreamingFeatures.Cli;

internal static class Program
{
    /// <summary>Wide enough that no line is wrapped, small enough for Spectre.Console's layout arithmetic.</summary>
    private const int NoWrapWidth = 1 << 20;

    public static async Task<int> Main(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // A pipe or a file has no width: Spectre.Console would wrap every line at 80 columns, mid-path.
            AnsiConsole.Profile.Width = NoWrapWidth;
        }

        var root = new RootCommand("StreamingFeatures: feeds and serves an ML feature store on Google Cloud Bigtable.")
        {
            MigrateCommand.Create(),
            Verify.VerifyCommand.Create(),
            Get.GetCommand.Create(),
            IngestCommand.Create(),
            Serve.ServeCommand.Create(),
            EmulatorCommand.Create(),
            LoadTest.LoadTestCommand.Create(),
        };
        root.WithExitCodes(
            new ExitCode(ExitCodes.Success, "Done (each command's --help says what done means for it)."),
            new ExitCode(ExitCodes.Failure, "Any other failure (a service unreachable, a fatal write fault, a stop past its deadline)."),
            new ExitCode(ExitCodes.BadInput, "Bad input or configuration, found before anything was written."),
            new ExitCode(ExitCodes.VerificationFailed, "Verification found missing or changed rows (verify: or extra ones)."),
            new ExitCode(ExitCodes.Regressed, "loadtest: the run fell behind its baseline beyond a threshold."),
            new ExitCode(ExitCodes.Stopped, "Stopped on request (Ctrl+C, SIGTERM) after draining; progress is kept."));
        ExitCodeHelp.Install(root);
        SettingSources.AddConfigOption(root, except: IngestCommand.Name);
        VersionText.Install(root);
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // Bad input: the errors alone, last on screen, and where the help is; not the whole help above them.
            return ParseErrors.Report(parse, Console.Error);
        }

        // The ingest service reads its file and variables itself, as a host's configuration (with its Logging section).
        if (parse.CommandResult.Command.Name != IngestCommand.Name && parse.Action is not null && parse.Action == parse.CommandResult.Command.Action)
        {
            SettingSources sources = SettingSources.Resolve(root, parse.CommandResult.Command, parse, Environment.GetEnvironmentVariables());
            if (sources.Problems.Count > 0)
            {
                return ParseErrors.Report(parse.CommandResult.Command, sources.Problems, Console.Error);
            }

            if (sources.Ignored.Count > 0)
            {
                Console.Error.WriteLine($"warning: ignored {sources.Ignored.Count} environment variable(s) with the {SettingSources.EnvironmentPrefix} prefix that name no setting: {string.Join(", ", sources.Ignored)}.");
            }

            if (sources.Tokens.Count > 0)
            {
                parse = root.Parse([.. args, .. sources.Tokens]);
                if (parse.Action is ParseErrorAction)
                {
                    return ParseErrors.Report(parse, Console.Error, sources);
                }
            }

            if (sources.Taken.Count > 0)
            {
                // Variables apply to every command that has the flag: say which ones this run took, and from where.
                Console.Error.WriteLine($"note: settings not given as flags: {string.Join(", ", sources.Taken)}.");
            }

            SettingSources.Current = sources;
        }

        // The library's own signal handling is off: see TerminationSignals. The ingest and serve services are Generic
        // Hosts that handle SIGTERM and Ctrl+C themselves, within their own --shutdown-timeout / --drain-timeout.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null, Output = new ToolNameWriter(Console.Out) };
        int exit;
        if (IngestCommand.OwnsSignals(parse) || Serve.ServeCommand.OwnsSignals(parse))
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
