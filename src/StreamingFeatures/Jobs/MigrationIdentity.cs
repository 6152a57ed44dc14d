using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Files;

namespace StreamingFeatures.Jobs;

/// <summary>
/// What makes two runs the same migration: source, target, feature set, shard, filter and verification. A checkpoint
/// carries it, so a run never resumes another job's progress; its hash names the default checkpoint.
/// </summary>
public sealed record MigrationIdentity(IReadOnlyDictionary<string, string> Identity, string Id)
{
    // Feature-set settings added after checkpoints existed stay out of the hash at their defaults, so those
    // checkpoints keep matching after an upgrade.
    private static readonly JsonSerializerOptions s_featureSetJson = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitNewDefaults } },
    };

    public static MigrationIdentity Create(MigrationJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        FeatureSetOptions featureSet = options.FeatureSet;
        var identity = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = options.Source.Text,
            ["bigtable"] = options.Target,
            ["table"] = featureSet.Table,
            ["featureSet"] = Hash(JsonSerializer.Serialize(featureSet, s_featureSetJson)),
            ["verify"] = options.VerifyText,
        };
        (long rows, int features)? sample = options.Source switch
        {
            MigrationSource.Sample s => (s.Rows, s.Features),
            MigrationSource.Synthetic s => (s.Rows, s.Features),
            _ => null,
        };
        if (sample is { } generated)
        {
            identity["sampleRows"] = generated.rows.ToString(CultureInfo.InvariantCulture);
            if (generated.features != 8)
            {
                identity["sampleFeatures"] = generated.features.ToString(CultureInfo.InvariantCulture);
            }
        }

        if (options.ShardCount > 1)
        {
            identity["shard"] = string.Create(CultureInfo.InvariantCulture, $"{options.ShardIndex}/{options.ShardCount}");
        }

        if (!string.IsNullOrWhiteSpace(options.RowRestriction))
        {
            identity["rowRestriction"] = options.RowRestriction;
        }

        // A session is read in the format it was created with, so a resumed job must ask for the same one; Arrow, the
        // default, stays out of the identity so jobs from before the setting keep their checkpoints.
        if (options.DataFormat != BigQueryDataFormat.Arrow)
        {
            identity["dataFormat"] = options.DataFormat.ToString().ToLowerInvariant();
        }

        // A CSV row's offset is its record number, and with quoted newlines the records (and the bound that cuts an
        // over-long one short) span lines differently: another split must not resume this job's offsets. The
        // defaults stay out, as for dataFormat.
        if (options.Source is MigrationSource.Files { CsvAllowQuotedNewlines: true } files)
        {
            identity["csvQuotedNewlines"] = "true";
            if (files.MaxRecordBytes != FileSourceLimits.MaxRecordBytes.Default)
            {
                identity["maxRecordBytes"] = files.MaxRecordBytes.ToString(CultureInfo.InvariantCulture);
            }
        }

        if (options.SnapshotTime is { } snapshot)
        {
            identity["snapshotTime"] = snapshot.ToString("O", CultureInfo.InvariantCulture);
        }

        string digest = Hash(string.Join('\n', identity.Select(p => p.Key + "=" + p.Value)));
        string table = new([.. featureSet.Table.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        string shard = options.ShardCount > 1 ? string.Create(CultureInfo.InvariantCulture, $"-shard{options.ShardIndex}of{options.ShardCount}") : string.Empty;
        return new MigrationIdentity(identity, $"{table}{shard}-{digest[..8]}");
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
