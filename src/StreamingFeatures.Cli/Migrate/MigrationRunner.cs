using Grpc.Core;
using Spectre.Console;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Checkpoints;
using StreamingFeatures.Emulators;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.Jobs;
using StreamingFeatures.Resilience;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// Hosts one run of a <see cref="MigrationJob"/>: the local emulators it runs on, the console (plan, progress,
/// report), and the exit code each outcome maps to.
/// </summary>
internal sealed partial class MigrationRunner(MigrationSettings settings)
{
    private readonly MigrationSettings _settings = settings;

    public static int BadInput(string message)
    {
        Console.Error.WriteLine("error: " + Configuration.SettingSources.Current.Annotate(message));
        return ExitCodes.BadInput;
    }

    private static int Failed(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return ExitCodes.Failure;
    }

    public async Task<int> RunAsync(CancellationToken stop)
    {
        FeatureSetOptions? featureSet;
        try
        {
            featureSet = _settings.FeatureSetFile is { } file ? FeatureSetLoader.Load(file.FullName)
                : _settings.SourceKind is SourceKind.Sample or SourceKind.Synthetic ? SourceSpec.Sample(_settings.SampleRows, _settings.SampleFeatures).FeatureSet("features")
                : null;
        }
        catch (FeatureSetException e)
        {
            return BadInput(e.Message);
        }

        if (featureSet is null)
        {
            return BadInput("--feature-set is required for file and BigQuery sources: it says which columns become which cells.");
        }

        if (_settings.Table is { } table)
        {
            featureSet.Table = table;
        }

        bool local = _settings.Local || _settings.Project is null;
        string? emulatorHost = Environment.GetEnvironmentVariable(BigtableConnectionOptions.EmulatorHostVariable);
        string target = local ? (emulatorHost is null ? "local emulator" : "emulator " + emulatorHost) : $"projects/{_settings.Project}/instances/{_settings.Instance}";
        MigrationJobOptions options = _settings.ToJobOptions(featureSet, target);
        await using var job = new MigrationJob(options, warning => Console.Error.WriteLine("warning: " + warning)) { Note = Console.Error.WriteLine };
        try
        {
            OwnedEmulator? replaced = _settings.Restart ? await job.SavedEmulatorAsync(stop).ConfigureAwait(false) : null;
            await job.OpenCheckpointAsync(stop).ConfigureAwait(false);

            // Starting over replaces the checkpoint naming the earlier run's emulator, which nothing could then stop
            // (a dry run replaces nothing).
            if (replaced is not null && !_settings.DryRun && await LocalBigtable.StopEarlierAsync(replaced, stop).ConfigureAwait(false))
            {
                AnsiConsole.MarkupLineInterpolated($"Stopped the Bigtable emulator of the earlier run (pid {replaced.ProcessId}, {replaced.Endpoint}): starting over.");
            }

            await using LocalBigtable? localBigtable = local ? await LocalBigtable.StartAsync(job.Checkpoint?.Emulator, stop).ConfigureAwait(false) : null;
            try
            {
                return await RunOnAsync(job, options, local, localBigtable, stop).ConfigureAwait(false);
            }
            finally
            {
                await KeepEmulatorAsync(job, localBigtable).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is CallGaveUpException || e.InnerException is CallGaveUpException)
        {
            // Bigtable or BigQuery stayed unreachable past the call's retry deadline: a failure, not bad input.
            return Failed(e.Message);
        }
        catch (CheckpointMismatchException e)
        {
            return BadInput($"{e.Message} Run with the same arguments, name another --checkpoint, or start over with --restart.");
        }
        catch (TableMissingException e)
        {
            return BadInput($"Table {e.TableName} does not exist and --no-create forbids creating it.");
        }
        catch (Exception e) when (e is MigrationInputException or CheckpointException or CredentialsException)
        {
            return BadInput(e.Message);
        }
        catch (RpcException e) when (!stop.IsCancellationRequested && e.StatusCode != StatusCode.Cancelled)
        {
            // A refusal retrying cannot fix, before any row is written (provisioning, a read session): the instance,
            // table or permissions named are wrong, which is bad configuration; anything else is a failure. A call
            // cancelled by Ctrl+C or SIGTERM is left to the stop handling.
            string line = $"Bigtable or BigQuery refused the request: {e.StatusCode}: {e.Status.Detail}";
            return e.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.InvalidArgument
                ? BadInput(line)
                : Failed(line);
        }
        catch (Exception e) when (e is EmulatorNotInstalledException or EmulatorStartException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
