using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.Jobs;
using StreamingFeatures.Resilience;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.Get;

/// <summary>Connects, reads once through a <see cref="FeatureReader"/>, prints, and maps each outcome to its exit code.</summary>
internal sealed class GetRunner(GetSettings settings)
{
    /// <summary>The sample's table, as <c>migrate --local</c> and <c>ingest --local</c> write it.</summary>
    public const string SampleTable = "features";

    public static int BadInput(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return ExitCodes.BadInput;
    }

    public async Task<int> RunAsync(CancellationToken stop)
    {
        FeatureSetOptions featureSet;
        try
        {
            featureSet = settings.FeatureSetFile is { } file
                ? FeatureSetLoader.Load(file.FullName)
                : SourceSpec.Sample(1, MigrationJobLimits.SampleFeatures.Default).FeatureSet(SampleTable);
        }
        catch (FeatureSetException e)
        {
            return BadInput(e.Message);
        }

        if (settings.Table is { } table)
        {
            featureSet.Table = table;
        }

        var connection = new BigtableConnectionOptions
        {
            EmulatorHost = settings.IsLocal ? Environment.GetEnvironmentVariable(BigtableConnectionOptions.EmulatorHostVariable) : null,
            Project = settings.Project ?? (settings.IsLocal ? "local" : null),
            Instance = settings.Instance ?? (settings.IsLocal ? "local" : null),
            AppProfileId = settings.AppProfile,
            CredentialsFile = settings.CredentialsFile,
        };
        try
        {
            using BigtableConnection bigtable = await BigtableConnection.ConnectAsync(connection, stop).ConfigureAwait(false);
            FeatureReader reader = FeatureReader.Create(bigtable, featureSet, new FeatureReaderOptions { Timeout = settings.Timeout });
            FeatureReadResult result = await reader.ReadAsync(
                settings.EntityKeys(featureSet.EntityKey.Count),
                settings.Features.Count == 0 ? null : settings.Features,
                settings.AsOf,
                stop).ConfigureAwait(false);
            if (settings.Json)
            {
                GetOutput.WriteJson(Console.Out, featureSet.Table, result);
            }
            else
            {
                GetOutput.WriteTable(Console.Out, featureSet.Table, result);
            }

            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("Stopped.");
            return ExitCodes.Stopped;
        }
        catch (ArgumentException e)
        {
            // The message names the flag's value already; the parameter name would only add the library's view.
            return BadInput(e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : e.Message);
        }
        catch (Exception e) when (e is NotSupportedException or CredentialsException or ConnectionSettingsException)
        {
            return BadInput(e.Message);
        }
        catch (Exception e) when (e is CallGaveUpException or TimeoutException or InvalidDataException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (RpcException e) when (!stop.IsCancellationRequested)
        {
            string line = $"Bigtable refused the read of table '{featureSet.Table}': {e.StatusCode}: {e.Status.Detail}";
            return e.StatusCode is StatusCode.NotFound or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.InvalidArgument
                ? BadInput(line)
                : Fail(line);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return ExitCodes.Failure;
    }
}
