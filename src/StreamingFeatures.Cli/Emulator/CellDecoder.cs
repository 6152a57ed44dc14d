using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Serving;

namespace StreamingFeatures.Cli.EmulatorCommands;

/// <summary>A cell value back to the typed value its feature wrote, by the engine's decoding of the BINARY encoding (<see cref="FeatureValue"/>).</summary>
internal sealed class CellDecoder(FeatureSetOptions featureSet)
{
    private readonly Dictionary<(string Family, string Qualifier), FeatureType> _types =
        featureSet.Features.ToDictionary(f => (f.Family, f.ColumnQualifier), f => f.Type);

    /// <summary>The value as people read it; a column the feature set does not name prints as text, or hex when not printable UTF-8.</summary>
    public string Decode(string family, string qualifier, ReadOnlySpan<byte> value) => Typed(family, qualifier, value) switch
    {
        long number => number.ToString(CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        Text text => "\"" + text.Value + "\"",
        Shown shown => shown.Value,
        _ => string.Empty,
    };

    /// <summary>The value for a JSON line: numbers and booleans as such (a float that JSON cannot hold, as text), the rest as strings.</summary>
    public JsonNode? DecodeJson(string family, string qualifier, ReadOnlySpan<byte> value) => Typed(family, qualifier, value) switch
    {
        long number => JsonValue.Create(number),
        double number when double.IsFinite(number) => JsonValue.Create(number),
        double number => JsonValue.Create(number.ToString("R", CultureInfo.InvariantCulture)),
        bool flag => JsonValue.Create(flag),
        Text text => JsonValue.Create(text.Value),
        Shown shown => JsonValue.Create(shown.Value),
        _ => null,
    };

    /// <summary>Microseconds since the Unix epoch as RFC 3339 UTC, milliseconds shown.</summary>
    public static string Time(long micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private object Typed(string family, string qualifier, ReadOnlySpan<byte> value)
    {
        if (!_types.TryGetValue((family, qualifier), out FeatureType type))
        {
            return Raw(value);
        }

        if (!FeatureValue.TryDecode(type, value.ToArray(), out FeatureValue typed))
        {
            return new Shown(Show(Raw(value)) + $" (not a valid {type.ToString().ToLowerInvariant()} cell)");
        }

        return type switch
        {
            FeatureType.Int64 => typed.AsInt64(),
            FeatureType.Float64 => typed.AsFloat64(),
            FeatureType.Bool => typed.AsBool(),
            FeatureType.Timestamp => new Shown(Time(typed.AsTimestampMicros())),
            FeatureType.String => new Text(typed.AsString()),
            _ => new Shown("base64:" + typed),
        };
    }

    private static string Show(object raw) => raw is Text text ? "\"" + text.Value + "\"" : ((Shown)raw).Value;

    private static object Raw(ReadOnlySpan<byte> value)
    {
        try
        {
            string text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value);
            if (!text.Any(char.IsControl))
            {
                return new Text(text);
            }
        }
        catch (DecoderFallbackException)
        {
            // Not text: shown as bytes below.
        }

        return new Shown("0x" + Convert.ToHexString(value));
    }

    /// <summary>Text people see quoted.</summary>
    private sealed record Text(string Value);

    /// <summary>A value already in the form people read (a time, base64, hex).</summary>
    private sealed record Shown(string Value);
}
