using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamingFeatures.Cli.Ingest.Health;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.Cli.Options;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Jobs;

namespace StreamingFeatures.Cli.Ingest;

/// <summary>
/// <c>streamingfeatures ingest</c>: the long-running Pub/Sub → Bigtable service. Settings come from <c>--config</c>
/// (JSON), <c>STREAMINGFEATURES_*</c> variables and flags, flags winning; any bad setting exits 2 before anything
/// is pulled. The Generic Host owns SIGTERM and Ctrl+C (see <see cref="OwnsSignals"/>).
/// </summary>
internal static class IngestCommand
{
    public const string Name = "ingest";

    /// <summary>The table of the built-in sample feature set, the one <c>migrate --local</c> fills too.</summary>
    public const string SampleTable = "features";

    private static readonly Option<FileInfo?> Config = new Option<FileInfo?>("--config") { Description = "A JSON or YAML file of settings (keys as in STREAMINGFEATURES_KEY or the flags without dashes, e.g. {\"Subscription\": \"ingest\", \"AckDeadline\": \"60s\"}); environment variables override it, flags override both. Unknown keys are refused; unknown STREAMINGFEATURES_* variables are ignored with a warning." }.FilePath();
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Check every setting, the feature set, the HTTP port and the emulator variables, print the plan and exit: 0, or 2 with every problem. Nothing starts, nothing is pulled." };
    private static readonly IReadOnlyList<(IngestSetting Setting, Option Option)> s_options =
        [.. IngestSetting.All.Select(s => (s, s.IsSwitch ? (Option)new Option<bool>(s.Flag) { Description = s.Description } : new Option<string?>(s.Flag) { Description = s.Description }))];

    public static Command Create()
    {
        var command = new Command(Name, "Run the streaming ingestion service: Pub/Sub → Bigtable, with health and metrics endpoints; graceful drain on SIGTERM.")
        {
            Config,
            DryRun,
        };
        foreach ((_, Option option) in s_options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, _) => RunAsync(parse));
        return command.WithExitCodes(
            new ExitCode(ExitCodes.Success, "Stopped by SIGTERM, Ctrl+C or --duration after the drain: what was written is acked, the rest nacked; or a dry run found every setting sound."),
            new ExitCode(ExitCodes.Failure, "A fatal fault (Bigtable refusing writes past the retry deadline, the source failing) or a drain past --shutdown-timeout; outstanding messages are redelivered."),
            new ExitCode(ExitCodes.BadInput, "Bad settings (flag, STREAMINGFEATURES_* variable or --config file), feature set, HTTP port, emulator variable or missing table with --no-create; nothing was pulled."));
    }

    /// <summary>
    /// True when <paramref name="parse"/> runs this command: then the host handles SIGTERM and Ctrl+C itself, with its
    /// own shutdown timeout, and System.CommandLine must not cut the process short.
    /// </summary>
    public static bool OwnsSignals(ParseResult parse) => parse.CommandResult.Command.Name == Name && parse.Errors.Count == 0;

    /// <summary>The flags given on the command line, as configuration keys and values.</summary>
    internal static Dictionary<string, string?> Flags(ParseResult parse)
    {
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach ((IngestSetting setting, Option option) in s_options)
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                flags[setting.Key] = option is Option<bool> flag ? (parse.GetValue(flag) ? "true" : "false") : parse.GetValue((Option<string?>)option);
            }
        }

        return flags;
    }

    /// <summary>The settings and the feature set, or every problem with them.</summary>
    /// <exception cref="IngestConfigurationException">A setting is invalid.</exception>
    /// <exception cref="FeatureSetException">The feature set file is missing or invalid.</exception>
    internal static (IngestSettings Settings, FeatureSetOptions FeatureSet, IngestConfiguration Configuration) Load(string? configFile, System.Collections.IDictionary environment, IReadOnlyDictionary<string, string?> flags)
    {
        IngestConfiguration configuration = IngestConfiguration.Build(configFile, environment, flags);
        IngestSettings settings = IngestSettings.Read(configuration);
        FeatureSetOptions featureSet = settings.FeatureSetFile is { } file ? FeatureSetLoader.Load(file)
            : settings.Local ? SourceSpec.Sample(1).FeatureSet(SampleTable)
            : throw new IngestConfigurationException($"{IngestSetting.FeatureSet.Key} ({IngestSetting.FeatureSet.Flag}) is not set ({configuration.Origin(IngestSetting.FeatureSet)}); with --project, name the feature set file: it says which event fields become which cells.");
        if (settings.Table is { } table)
        {
            featureSet.Table = table;
            if (FeatureSetValidator.Validate(featureSet).Count > 0)
            {
                // The feature set passed its own checks when loaded: only the table id can be wrong now.
                throw new IngestConfigurationException($"{IngestSetting.Table.Key} ({IngestSetting.Table.Flag}) is '{table}' ({configuration.Origin(IngestSetting.Table)}); allowed a Bigtable table id ({FeatureSetValidator.TableRule}).");
            }
        }

        // The engine's own checks, so nothing they would refuse gets as far as the host.
        IngestJobOptions options = settings.JobOptions();
        options.Source.Validate();
        options.Pipeline.Validate();
        return (settings, featureSet, configuration);
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        IngestSettings settings;
        FeatureSetOptions featureSet;
        IngestConfiguration configuration;
        try
        {
            (settings, featureSet, configuration) = Load(parse.GetValue(Config)?.FullName, Environment.GetEnvironmentVariables(), Flags(parse));
        }
        catch (Exception e) when (e is IngestConfigurationException or FeatureSetException or ArgumentException)
        {
            return MigrationRunner.BadInput(e.Message.Replace(Environment.NewLine, Environment.NewLine + "error: ", StringComparison.Ordinal));
        }

        IReadOnlyList<string> problems = IngestPreflight.Problems(settings, configuration, Environment.GetEnvironmentVariable);
        if (problems.Count > 0)
        {
            return MigrationRunner.BadInput(string.Join(Environment.NewLine + "error: ", problems));
        }

        string? ignored = IgnoredVariablesWarning(configuration);
        if (parse.GetValue(DryRun))
        {
            if (ignored is not null)
            {
                Console.Error.WriteLine("warning: " + ignored);
            }

            foreach (string line in IngestPlan.Lines(settings, featureSet, configuration))
            {
                Console.WriteLine(line);
            }

            return ExitCodes.Success;
        }

        var startup = new HostStartup();
        await using WebApplication app = IngestHost.Build(settings, featureSet, configuration.Root, startup: startup);
        if (ignored is not null)
        {
            IngestHost.IgnoredVariables(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(IngestHost.LoggerName), ignored);
        }

        if (await StartAsync(app, startup).ConfigureAwait(false) is { } bindFailure)
        {
            // Another process took the port between the check and the bind.
            return MigrationRunner.BadInput(IngestPreflight.PortMessage(settings, configuration, bindFailure));
        }

        string address = app.Urls.FirstOrDefault() ?? "?";
        Console.WriteLine($"Health: {address}{HealthEndpoints.LivePath} {address}{HealthEndpoints.ReadyPath}  Metrics: {address}/metrics");
        await app.WaitForShutdownAsync().ConfigureAwait(false);

        IngestState state = app.Services.GetRequiredService<IngestState>();
        if (state.Phase != IngestPhase.Stopped)
        {
            Console.Error.WriteLine($"error: the drain did not finish within --shutdown-timeout {settings.ShutdownTimeout.TotalSeconds:0.#} s; unacked messages are redelivered when their leases lapse.");
            return ExitCodes.Failure;
        }

        return state.ExitCode;
    }

    /// <summary>
    /// Starts <paramref name="app"/>; returns null, or why its port could not be bound (the host logged nothing about
    /// it: <paramref name="startup"/> held its error line back). Any other failure is logged and thrown.
    /// </summary>
    internal static async Task<string?> StartAsync(WebApplication app, HostStartup startup)
    {
        try
        {
            await app.StartAsync().ConfigureAwait(false);
            return null;
        }
        catch (IOException e)
        {
            return e.Message.TrimEnd('.');
        }
        catch (Exception e)
        {
            IngestHost.StartFailed(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(IngestHost.LoggerName), e);
            throw;
        }
        finally
        {
            startup.Done();
        }
    }

    private static string? IgnoredVariablesWarning(IngestConfiguration configuration)
    {
        IReadOnlyList<string> ignored = configuration.IgnoredVariables();
        return ignored.Count == 0 ? null
            : $"Ignored {ignored.Count} environment variable(s) with the {IngestSetting.EnvironmentPrefix} prefix that name no setting (Kubernetes sets such variables for a Service whose name starts with streamingfeatures-, unless the pod has enableServiceLinks: false): {string.Join(", ", ignored)}.";
    }
}
