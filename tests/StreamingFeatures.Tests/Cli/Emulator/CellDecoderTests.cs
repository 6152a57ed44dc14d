using StreamingFeatures.Cli.EmulatorCommands;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;

namespace StreamingFeatures.Tests.Cli.Emulator;

[TestClass]
public sealed class CellDecoderTests
{
    private static readonly CellDecoder s_decoder = new(new FeatureSetOptions
    {
        Table = "t",
        EntityKey = ["user_id"],
        EventTime = "ts",
        Features =
        [
            new FeatureOptions { Name = "clicks", Family = "f", Type = FeatureType.Int64 },
            new FeatureOptions { Name = "score", Family = "f", Qualifier = "s", Type = FeatureType.Float64 },
            new FeatureOptions { Name = "active", Family = "f", Type = FeatureType.Bool },
            new FeatureOptions { Name = "seen", Family = "f", Type = FeatureType.Timestamp },
            new FeatureOptions { Name = "country", Family = "g", Type = FeatureType.String },
        ],
    });

    [TestMethod]
    [DataRow("f", "clicks", "1234567")]
    [DataRow("f", "s", "2.5")]
    [DataRow("f", "active", "true")]
    [DataRow("f", "seen", "2026-12-02T13:00:00.123Z")]
    [DataRow("g", "country", "\"NZ\"")]
    public void Decode_FeatureCell_PrintsTypedValue(string family, string qualifier, string expected)
    {
        byte[] value = (family, qualifier) switch
        {
            ("f", "clicks") => CellEncoding.Int64(1_234_567),
            ("f", "s") => CellEncoding.Float64(2.5),
            ("f", "active") => CellEncoding.Bool(true),
            ("f", "seen") => CellEncoding.Int64(CellEncoding.ToUnixMicros(new DateTimeOffset(2026, 12, 2, 13, 0, 0, 123, TimeSpan.Zero))),
            _ => CellEncoding.String("NZ"),
        };

        Assert.AreEqual(expected, s_decoder.Decode(family, qualifier, value));
    }

    [TestMethod]
    public void Decode_WrongLengthForType_ShowsRawBytesAndTheType()
    {
        Assert.AreEqual("0x0102 (not a valid int64 cell)", s_decoder.Decode("f", "clicks", [1, 2]));
    }

    [TestMethod]
    public void Decode_ColumnNotInFeatureSet_ShowsTextOrHex()
    {
        Assert.AreEqual("\"json\"", s_decoder.Decode("cp", "json", CellEncoding.String("json")));
        Assert.AreEqual("0xFF00", s_decoder.Decode("cp", "bin", [0xFF, 0x00]));
    }
}
