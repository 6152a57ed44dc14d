using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Cli.Migrate;

/// <summary>
/// What makes two runs the same migration: source, target, feature set, shard, filter and verification. A checkpoint
/// carries it, so a run never resumes another job's progress; its hash names the default checkpoint.
/// </summary>
internal sealed record MigrationJob(IReadOnlyDictionary<string, string> Identity, string Id)
{
    // Feature-set settings added after checkpoints existed stay out of the hash at their defaults, so those
    // checkpoints keep matching after an upgrade.
    private static readonly JsonSerializerOptions s_featureSetJson = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitNewDefaults } },
    };

    public static MigrationJob Create(MigrationSettings settings, string bigtable, FeatureSetOptions featureSet)
    {
        var identity = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = settings.Source,
            ["bigtable"] = bigtable,
            ["table"] = featureSet.Table,
            ["featureSet"] = Hash(JsonSerializer.Serialize(featureSet, s_featureSetJson)),
            ["verify"] = settings.VerifyText,
        };
        if (settings.SourceKind is SourceKind.Sample or SourceKind.Synthetic)
        {
            identity["sampleRows"] = settings.SampleRows.ToString(CultureInfo.InvariantCulture);
            if (settings.SampleFeatures != 8)
            {
                identity["sampleFeatures"] = settings.SampleFeatures.ToString(CultureInfo.InvariantCulture);
            }
        }

        if (settings.ShardCount > 1)
        {
            identity["shard"] = string.Create(CultureInfo.InvariantCulture, $"{settings.ShardIndex}/{settings.ShardCount}");
        }

        if (!string.IsNullOrWhiteSpace(settings.RowRestriction))
        {
            identity["rowRestriction"] = settings.RowRestriction;
        }

        // A session is read in the format it was created with, so a resumed job must ask for the same one; Arrow, the
        // default, stays out of the identity so jobs from before the flag keep their checkpoints.
        if (settings.DataFormat != BigQueryDataFormat.Arrow)
        {
            identity["dataFormat"] = settings.DataFormat.ToString().ToLowerInvariant();
        }

        // A CSV row's offset is its record number, and with quoted newlines the records (and the bound that cuts an
        // over-long one short) span lines differently: another split must not resume this job's offsets. The
        // defaults stay out, as for dataFormat.
        if (settings.CsvAllowQuotedNewlines)
        {
            identity["csvQuotedNewlines"] = "true";
            if (settings.MaxRecordBytes != CsvFileSourceOptions.DefaultMaxRecordBytes)
            {
                identity["maxRecordBytes"] = settings.MaxRecordBytes.ToString(CultureInfo.InvariantCulture);
            }
        }

        if (settings.SnapshotTime is { } snapshot)
        {
            identity["snapshotTime"] = snapshot.ToString("O", CultureInfo.InvariantCulture);
        }

        string digest = Hash(string.Join('\n', identity.Select(p => p.Key + "=" + p.Value)));
        string table = new([.. featureSet.Table.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        string shard = settings.ShardCount > 1 ? string.Create(CultureInfo.InvariantCulture, $"-shard{settings.ShardIndex}of{settings.ShardCount}") : string.Empty;
        return new MigrationJob(identity, $"{table}{shard}-{digest[..8]}");
    }

    private static void OmitNewDefaults(JsonTypeInfo info)
    {
        if (info.Type != typeof(FeatureSetOptions))
        {
            return;
        }

        foreach (JsonPropertyInfo property in info.Properties.Where(p => p.Name == nameof(FeatureSetOptions.MaxFutureSkew)))
        {
            property.ShouldSerialize = (_, value) => value is TimeSpan skew && skew != FeatureSetOptions.DefaultMaxFutureSkew;
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(text)));
}
