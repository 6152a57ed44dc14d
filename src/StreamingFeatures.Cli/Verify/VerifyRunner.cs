using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.Jobs;
using StreamingFeatures.Resilience;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Files;
using StreamingFeatures.Verification;

namespace StreamingFeatures.Cli.Verify;

/// <summary>
/// Hosts one <see cref="VerifyJob"/>: the sample's BigQuery emulator when it reads the sample, the console (plan,
/// progress, report), and the exit code each outcome maps to.
/// </summary>
internal sealed partial class VerifyRunner(VerifySettings settings)
{
    private readonly VerifySettings _settings = settings;

    public async Task<int> RunAsync(CancellationToken stop)
    {
        MigrationSettings flags = _settings.Source;
        FeatureSetOptions? featureSet;
        try
        {
            featureSet = flags.FeatureSetFile is { } file ? FeatureSetLoader.Load(file.FullName)
                : flags.SourceKind is SourceKind.Sample or SourceKind.Synthetic ? SourceSpec.Sample(flags.SampleRows, flags.SampleFeatures).FeatureSet("features")
                : null;
        }
        catch (FeatureSetException e)
        {
            return MigrationRunner.BadInput(e.Message);
        }

        if (featureSet is null)
        {
            return MigrationRunner.BadInput("--feature-set is required for file and BigQuery sources: it says which columns become which cells.");
        }

        if (flags.Table is { } table)
        {
            featureSet.Table = table;
        }

        bool local = flags.Local || flags.Project is null;
        var bigtable = new BigtableConnectionOptions
        {
            EmulatorHost = local ? Environment.GetEnvironmentVariable(BigtableConnectionOptions.EmulatorHostVariable) : null,
            Project = flags.Project ?? (local ? "local" : null),
            Instance = flags.Instance ?? (local ? "local" : null),
            AppProfileId = flags.AppProfile,
            CredentialsFile = flags.CredentialsFile,
        };
        VerifyJobOptions options = _settings.ToJobOptions(featureSet);
        await using var job = new VerifyJob(options);
        try
        {
            await job.ConnectAsync(bigtable, stop).ConfigureAwait(false);
            await using SampleTable? sample = await SampleTable.ServeAsync(options.Source, stop).ConfigureAwait(false);
            VerifyPlan plan = await job.PrepareAsync(sample?.Endpoint, stop).ConfigureAwait(false);
            PrintPlan(plan);
            if (_settings.DryRun)
            {
                // Through the console JsonLines wraps, so a redirected dry run stays one JSON object per line.
                Spectre.Console.AnsiConsole.MarkupLine("Dry run: the configuration, the source schema and the table fit together; no row was read.");
                return ExitCodes.Success;
            }

            ComparisonReport report = await ProgressReporter.RunAsync(
                plan.ExpectedRows,
                () => job.RowsChecked,
                () => $"table rows scanned {job.TableRowsScanned:N0}",
                () => job.RunAsync(stop)).ConfigureAwait(false);
            PrintReport(report);
            return report.IsIdentical ? ExitCodes.Success : ExitCodes.TableDiffers;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("Stopped: nothing was written; run the same command again.");
            return ExitCodes.Stopped;
        }
        catch (Exception e) when (e is CallGaveUpException || e.InnerException is CallGaveUpException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (TableMissingException e)
        {
            return MigrationRunner.BadInput(e.Message);
        }
        catch (Exception e) when (e is MigrationInputException or CredentialsException)
        {
            return MigrationRunner.BadInput(e.Message);
        }
        catch (Exception e) when (e is BigQuerySourceException or FileSourceException or CheckpointException or IOException)
        {
            // A source that fails while it is read (a session past its life, a file that went away): one line, not a trace.
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (RpcException e) when (!stop.IsCancellationRequested && e.StatusCode != StatusCode.Cancelled)
        {
            string line = $"Bigtable or BigQuery refused the request: {e.StatusCode}: {e.Status.Detail}";
            if (e.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.InvalidArgument)
            {
                return MigrationRunner.BadInput(line);
            }

            Console.Error.WriteLine("error: " + line);
            return ExitCodes.Failure;
        }
    }
}
