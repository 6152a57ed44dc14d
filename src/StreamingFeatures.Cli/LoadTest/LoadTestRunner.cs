using StreamingFeatures.Bigtable;
using StreamingFeatures.Emulators;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.LoadTesting;
using StreamingFeatures.Pipeline;

namespace StreamingFeatures.Cli.LoadTest;

/// <summary>
/// One load test: load the profile, start the Bigtable emulator (or connect to the allowed project), run the
/// <see cref="LoadTestJob"/> (or, for the ingest target, the <see cref="LoadTesting.Service.ServiceLoadTestJob"/>)
/// while printing what it hears, then write the reports and apply the regression gate.
/// </summary>
internal sealed partial class LoadTestRunner(LoadTestSettings settings)
{
    private readonly LoadTestSettings _settings = settings;

    public async Task<int> RunAsync(CancellationToken stop)
    {
        LoadProfile profile;
        try
        {
            profile = LoadProfileLoader.Load(_settings.Profile!.FullName);
        }
        catch (LoadProfileException e)
        {
            return BadInput(e.Message);
        }

        LoadTestResult? baseline = null;
        if (_settings.Baseline is { } baselineFile && (baseline = LoadTestGate.Read(baselineFile)) is null)
        {
            return ExitCodes.BadInput;
        }

        if (_settings.TargetKind is { } target)
        {
            profile.Target = target;
        }

        if (_settings.DurationScale is { } scale && profile.ScaleDurations(scale) is { Count: > 0 } scaled)
        {
            return BadInput(string.Join(Environment.NewLine + "error: ", scaled.Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--duration-scale {scale}: {p}"))));
        }

        if (ReadsProblem(profile) is { } readsProblem)
        {
            return BadInput(readsProblem);
        }

        IReadOnlyList<string> problems = _settings.TargetProblems(profile.Target);
        if (problems.Count > 0)
        {
            return BadInput(string.Join(Environment.NewLine + "error: ", problems));
        }

        if (_settings.Cloud && profile.Target == LoadTarget.PubSub)
        {
            return BadInput("The pubsub target runs on the local Pub/Sub emulator only: leave out --project.");
        }

        FeatureSetOptions featureSet = LoadPlan.FeatureSet(profile, _settings.Table);
        if (_settings.WriteFeatureSet is { } featureSetFile && LoadTestFeatureSetFile.Write(featureSetFile, featureSet) is { } writeProblem)
        {
            return BadInput(writeProblem);
        }

        DirectoryInfo output = _settings.Output ?? new DirectoryInfo(Path.Combine(OutputFolder.DefaultParent, $"{profile.Name}-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}"));
        if (profile.Target == LoadTarget.Ingest)
        {
            return await RunIngestAsync(profile, baseline, output, stop).ConfigureAwait(false);
        }

        try
        {
            await using Emulator? emulator = _settings.Cloud ? null : await Emulator.StartAsync(EmulatorKind.Bigtable, cancellationToken: stop).ConfigureAwait(false);
            using BigtableConnection bigtable = await BigtableConnection.ConnectAsync(
                new BigtableConnectionOptions
                {
                    EmulatorHost = emulator?.Endpoint,
                    Project = _settings.Project ?? "local",
                    Instance = _settings.Instance ?? "local",
                    AppProfileId = _settings.AppProfile,
                    CredentialsFile = _settings.CredentialsFile,
                },
                stop).ConfigureAwait(false);
            using ServeReadClient? serve = _settings.ServeUri is { } endpoint ? new ServeReadClient(endpoint, featureSet.Table) : null;
            if (serve is not null && await serve.ProblemAsync(featureSet, stop).ConfigureAwait(false) is { } serveProblem)
            {
                if (_settings.DryRun)
                {
                    return BadInput(serveProblem + ".");
                }

                // Not fatal: the run still writes, and each read that fails is counted by its code in the report.
                new ConsoleListener(_settings.Quiet, _settings.JsonOutput).Warning(serveProblem + "; its reads will count as errors.");
            }

            if (_settings.DryRun)
            {
                // Connected means the instance answered: its table list, the admin rights a run needs to create one.
                var admin = new Google.Cloud.Bigtable.Admin.V2.BigtableTableAdmin.BigtableTableAdminClient(bigtable.Admin);
                await admin.ListTablesAsync(new Google.Cloud.Bigtable.Admin.V2.ListTablesRequest { Parent = bigtable.InstanceName, PageSize = 1 }, cancellationToken: stop).ConfigureAwait(false);
                return DryRun(profile, output, $"Bigtable {(emulator is null ? bigtable.InstanceName : "emulator " + emulator.Endpoint)} answered");
            }

            var job = new LoadTestJob(profile, bigtable, new LoadTestJobOptions { Table = _settings.Table, ReadClient = serve is null ? null : _ => serve });
            LoadTestResult result = await job.RunAsync(new ConsoleListener(_settings.Quiet, _settings.JsonOutput), stop).ConfigureAwait(false);
            return Finish(profile, result, baseline, output, stop);
        }
        catch (Exception e) when (e is EmulatorNotInstalledException or EmulatorStartException or PipelineException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (NotImplementedException e)
        {
            Console.Error.WriteLine("error: the pubsub target needs the Pub/Sub source, which this build does not implement yet: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is CredentialsException or ConnectionSettingsException)
        {
            return BadInput(e.Message);
        }
    }

    /// <summary>Writes the reports, prints the summary and applies the gate: the exit code of a run that finished.</summary>
    private int Finish(LoadProfile profile, LoadTestResult result, LoadTestResult? baseline, DirectoryInfo output, CancellationToken stop)
    {
        LoadComparison? comparison = baseline is null ? null : LoadTestGate.Compare(
            result,
            baseline,
            _settings.MaxThroughputDrop ?? profile.Gate.MaxThroughputDrop,
            _settings.MaxP99Rise ?? profile.Gate.MaxP99Rise);
        try
        {
            LoadTestReport.Write(output, result, comparison);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Checked before the run, yet the disk filled or the folder changed: the summary still shows the figures.
            PrintSummary(result, output);
            Console.Error.WriteLine($"error: the reports could not be written to {output.FullName}: {e.Message}");
            return ExitCodes.Failure;
        }

        PrintSummary(result, output);
        if (comparison is not null)
        {
            return LoadTestGate.Judge(comparison, "this run", _settings.Baseline!.Name, _settings.JsonOutput);
        }

        return stop.IsCancellationRequested ? ExitCodes.Stopped : ExitCodes.Success;
    }

    private static int BadInput(string message)
    {
        Console.Error.WriteLine("error: " + Configuration.SettingSources.Current.Annotate(message));
        return ExitCodes.BadInput;
    }
}
