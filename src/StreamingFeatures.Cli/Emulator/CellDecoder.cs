using System.Globalization;
using System.Text;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Cli.EmulatorCommands;

/// <summary>A cell value back to the typed value its feature wrote, by the engine's BINARY encoding (<see cref="CellEncoding"/>).</summary>
internal sealed class CellDecoder(FeatureSetOptions featureSet)
{
    private readonly Dictionary<(string Family, string Qualifier), FeatureType> _types =
        featureSet.Features.ToDictionary(f => (f.Family, f.ColumnQualifier), f => f.Type);

    /// <summary>The value as people read it; a column the feature set does not name prints as text, or hex when not printable UTF-8.</summary>
    public string Decode(string family, string qualifier, ReadOnlySpan<byte> value)
    {
        if (!_types.TryGetValue((family, qualifier), out FeatureType type))
        {
            return Raw(value);
        }

        return type switch
        {
            FeatureType.Int64 when value.Length == CellEncoding.Int64Size => CellEncoding.ReadInt64(value).ToString(CultureInfo.InvariantCulture),
            FeatureType.Float64 when value.Length == CellEncoding.Float64Size => CellEncoding.ReadFloat64(value).ToString("R", CultureInfo.InvariantCulture),
            FeatureType.Bool when value.Length == CellEncoding.BoolSize => CellEncoding.ReadBool(value) ? "true" : "false",
            FeatureType.Timestamp when value.Length == CellEncoding.Int64Size => Time(CellEncoding.ReadInt64(value)),
            FeatureType.String => "\"" + Encoding.UTF8.GetString(value) + "\"",
            FeatureType.Bytes => "base64:" + Convert.ToBase64String(value),
            _ => Raw(value) + $" (not a valid {type.ToString().ToLowerInvariant()} cell)",
        };
    }

    /// <summary>Microseconds since the Unix epoch as RFC 3339 UTC, milliseconds shown.</summary>
    public static string Time(long micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Raw(ReadOnlySpan<byte> value)
    {
        try
        {
            string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value);
            if (!text.Any(char.IsControl))
            {
                return "\"" + text + "\"";
            }
        }
        catch (DecoderFallbackException)
        {
            // Not text: shown as bytes below.
        }

        return "0x" + Convert.ToHexString(value);
    }
}
