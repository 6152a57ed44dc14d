using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>A one-row source whose columns are exactly the ones a feature set reads, each of its type.</summary>
internal static class FeatureSetRows
{
    public static async Task<IRowSource> CsvSourceAsync(string featureSetFile, string folder, CancellationToken cancellationToken)
    {
        FeatureSetOptions featureSet = FeatureSetLoader.Load(featureSetFile);
        var fields = new List<SourceField>();
        var values = new List<string>();
        foreach (string key in featureSet.EntityKey)
        {
            fields.Add(new SourceField(key, ColumnType.String, Nullable: false));
            values.Add("u1");
        }

        fields.Add(new SourceField(featureSet.EventTime, ColumnType.Timestamp, Nullable: false));
        values.Add("2026-01-01T00:00:00Z");
        foreach (FeatureOptions feature in featureSet.Features)
        {
            fields.Add(new SourceField(feature.Column ?? feature.Name, Enum.Parse<ColumnType>(feature.Type.ToString()), feature.Nullable));
            values.Add(feature.Type switch
            {
                FeatureType.Int64 => "1",
                FeatureType.Float64 => "1.5",
                FeatureType.Bool => "true",
                FeatureType.Bytes => "AQI=",
                FeatureType.Timestamp => "2026-01-01T00:00:00Z",
                _ => "x",
            });
        }

        string csvFolder = Directory.CreateDirectory(Path.Combine(folder, "source")).FullName;
        await File.WriteAllLinesAsync(Path.Combine(csvFolder, "rows.csv"), [string.Join(',', fields.Select(f => f.Name)), string.Join(',', values)], cancellationToken);
        return await CsvFileSource.OpenAsync(csvFolder, "*.csv", new CsvFileSourceOptions { Schema = new SourceSchema(fields) }, cancellationToken: cancellationToken);
    }
}
