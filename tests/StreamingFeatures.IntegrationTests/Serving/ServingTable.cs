using System.Globalization;
using Google.Cloud.Bigtable.Admin.V2;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;
using StreamingFeatures.Verification;

namespace StreamingFeatures.IntegrationTests.Serving;

/// <summary>
/// A feature set's table on the cbtemulator, written the way users write it: CSV rows through the ingestion
/// pipeline (the same row keys, cell encodings, timestamps and null handling), so reads check the writers' format.
/// </summary>
internal sealed class ServingTable(GrpcChannel channel, FeatureSetOptions featureSet, string instance, string folder) : IDisposable
{
    public FeatureSetOptions FeatureSet => featureSet;

    public BigtableTarget Target => new(channel.CreateCallInvoker(), $"{instance}/tables/{featureSet.Table}");

    public static async Task<ServingTable> CreateAsync(FeatureSetOptions featureSet, CancellationToken cancellationToken, string? instance = null)
    {
        instance ??= $"projects/{EmulatorFixture.Project}/instances/{EmulatorFixture.Instance}";
        GrpcChannel channel = EmulatorFixture.Bigtable.CreateChannel();
        await TableProvisioner.EnsureTableAsync(new BigtableTableAdmin.BigtableTableAdminClient(channel), instance, featureSet, cancellationToken);
        return new ServingTable(channel, featureSet, instance, Directory.CreateTempSubdirectory("serving-").FullName);
    }

    /// <summary>An event time in the CSV form, whole seconds (UTC).</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="rows"/> (CSV lines: entity key, event time, then the features in feature-set order; empty is null).</summary>
    public async Task WriteAsync(IEnumerable<string> rows, CancellationToken cancellationToken)
    {
        var fields = new List<SourceField>();
        fields.AddRange(featureSet.EntityKey.Select(k => new SourceField(k, ColumnType.String, Nullable: false)));
        fields.Add(new SourceField(featureSet.EventTime, ColumnType.Timestamp, Nullable: false));
        fields.AddRange(featureSet.Features.Select(f => new SourceField(f.SourceColumn, Enum.Parse<ColumnType>(f.Type.ToString()), f.Nullable)));
        string csvFolder = Directory.CreateDirectory(Path.Combine(folder, Guid.NewGuid().ToString("N"))).FullName;
        await File.WriteAllLinesAsync(Path.Combine(csvFolder, "rows.csv"), [string.Join(',', fields.Select(f => f.Name)), .. rows], cancellationToken);
        IRowSource source = await CsvFileSource.OpenAsync(csvFolder, "*.csv", new CsvFileSourceOptions { Schema = new SourceSchema(fields) }, cancellationToken: cancellationToken);
        var deadLetters = new CollectingDeadLetterSink();
        var pipeline = new IngestionPipeline(featureSet, source, Target, deadLetters, new PipelineOptions { Verification = new VerificationOptions { Mode = VerificationMode.Full } });
        PipelineResult result = await pipeline.RunAsync(cancellationToken);
        Assert.AreEqual(0, result.Report.DeadLettered, string.Join(Environment.NewLine, deadLetters.Kept.Take(5)));
        Assert.IsTrue(result.Report.IsClean, "every row written and read back");
    }

    public void Dispose()
    {
        channel.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
