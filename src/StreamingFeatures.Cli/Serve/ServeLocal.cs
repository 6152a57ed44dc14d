using System.Globalization;
using Google.Cloud.Bigtable.Admin.V2;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Get;
using StreamingFeatures.Cli.Migrate;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources.Synthetic;

namespace StreamingFeatures.Cli.Serve;

/// <summary>
/// <c>serve --local</c>: the sample table of <c>migrate --local</c> (the same generator, rows and feature set), written
/// through the ingestion pipeline into a Bigtable emulator started for this run, and the lines that read it back.
/// </summary>
internal static class ServeLocal
{
    /// <summary>Enough rows to read back in a second or two of loading; the entity ids are user-0000000000 and up.</summary>
    public const long DefaultSampleRows = 10_000;

    /// <summary>The features the printed requests ask for.</summary>
    public static readonly string[] ExampleFeatures = [SyntheticSource.FeatureName(0), SyntheticSource.FeatureName(1)];

    public static SyntheticSource Sample(long rows) => SourceSpec.Sample(rows);

    public static FeatureSetOptions FeatureSet(long rows) => Sample(rows).FeatureSet(GetRunner.SampleTable);

    /// <summary>Two real entities of the sample: its first and its last.</summary>
    public static string[] ExampleEntities(long rows) => [SyntheticSource.EntityId(0), SyntheticSource.EntityId(rows - 1)];

    /// <summary>Creates the sample's table and writes every row of it; throws if a row could not be written.</summary>
    public static async Task LoadAsync(BigtableConnection connection, long rows, CancellationToken cancellationToken)
    {
        SyntheticSource sample = Sample(rows);
        FeatureSetOptions featureSet = sample.FeatureSet(GetRunner.SampleTable);
        await TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(connection.Admin), connection.InstanceName, featureSet, cancellationToken).ConfigureAwait(false);
        var deadLetters = new CollectingDeadLetterSink();
        var pipeline = new IngestionPipeline(featureSet, sample, connection.Target(featureSet.Table), deadLetters);
        PipelineResult result = await pipeline.RunAsync(cancellationToken).ConfigureAwait(false);
        if (result.Report.DeadLettered > 0 || result.Report.RowsWritten != rows)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Loading the sample wrote {result.Report.RowsWritten} of {rows} rows ({result.Report.DeadLettered} dead-lettered): {string.Join("; ", deadLetters.Kept.Take(3))}"));
        }
    }

    /// <summary>The request body of the printed REST line.</summary>
    public static string RestBody(long rows) =>
        "{\"entities\": [" + string.Join(", ", ExampleEntities(rows).Select(e => $"{{\"parts\": [\"{e}\"]}}")) + "], \"features\": [" + string.Join(", ", ExampleFeatures.Select(f => $"\"{f}\"")) + "]}";

    /// <summary>The request body of the printed Feast line: the feature set is the feature view.</summary>
    public static string FeastBody(long rows) =>
        "{\"features\": [" + string.Join(", ", ExampleFeatures.Select(f => $"\"{GetRunner.SampleTable}:{f}\"")) + "], \"entities\": {\"" + SyntheticSource.EntityColumn + "\": [" + string.Join(", ", ExampleEntities(rows).Select(e => $"\"{e}\"")) + "]}}";

    /// <summary>The lines printed before ready: a curl of the REST API and a grpcurl of the gRPC one.</summary>
    public static IEnumerable<string> Lines(long rows, int httpPort, int grpcPort)
    {
        string body = RestBody(rows);
        string withSet = body.Replace("{\"entities\"", $"{{\"featureSet\": \"{GetRunner.SampleTable}\", \"entities\"", StringComparison.Ordinal);
        yield return $"Loaded the sample: {rows.ToString("N0", CultureInfo.InvariantCulture)} entities ({ExampleEntities(rows)[0]} to {ExampleEntities(rows)[1]}) into table '{GetRunner.SampleTable}' on the local Bigtable emulator.";
        yield return "Try it (REST):";
        yield return $"  curl -s -X POST http://127.0.0.1:{httpPort}/v1/featureSets/{GetRunner.SampleTable}:getOnlineFeatures -H 'Content-Type: application/json' -d '{body}'";
        yield return "Try it (Feast's feature server API):";
        yield return $"  curl -s -X POST http://127.0.0.1:{httpPort}/get-online-features -H 'Content-Type: application/json' -d '{FeastBody(rows)}'";
        yield return "Try it (gRPC; the server has no reflection: give grpcurl the .proto, see the README):";
        yield return $"  grpcurl -plaintext -d '{withSet}' 127.0.0.1:{grpcPort} streamingfeatures.serving.v1.FeatureService/GetOnlineFeatures";
    }
}
