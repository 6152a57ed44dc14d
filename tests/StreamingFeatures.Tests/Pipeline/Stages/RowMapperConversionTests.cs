using System.Text;
using Google.Cloud.Bigtable.V2;
using StreamingFeatures.DeadLetters;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.Keys;
using StreamingFeatures.Pipeline;
using StreamingFeatures.Pipeline.Stages;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.Pipeline.Stages;

/// <summary>NUMERIC and DATE source columns: which feature types they feed, the cells they become, and the refusals.</summary>
[TestClass]
public sealed class RowMapperConversionTests
{
    private const long Day = 19_724; // 2024-01-02
    private static readonly long Midnight = Day * DateValues.MicrosPerDay;

    private static readonly SourceSchema Schema = new(
    [
        new SourceField("id", ColumnType.String),
        new SourceField("day", ColumnType.Date),
        new SourceField("amount", ColumnType.Numeric),
    ]);

    [TestMethod]
    public void Create_NumericAndDate_PlansEachConversion()
    {
        RowMapper mapper = RowMapper.Create(FeatureSet(), Schema, MapperTestData.MaxEntryBytes);

        CollectionAssert.AreEqual(
            new[] { CellConversion.NumericToFloat64, CellConversion.NumericToString, CellConversion.None, CellConversion.DateToString },
            mapper.Features.Select(f => f.Conversion).ToArray());
        CollectionAssert.AreEqual(
            new[] { ColumnType.Numeric, ColumnType.Numeric, ColumnType.Date, ColumnType.Date },
            mapper.Features.Select(f => f.Type).ToArray());
    }

    [TestMethod]
    [DataRow("1.5", 1.5)]
    [DataRow("-0.000000001", -1e-9)]
    [DataRow("99999999999999999999999999999.999999999", 1e29)]
    [DataRow("0", 0.0)]
    public void Map_NumericIntoFloat64AndString_NearestDoubleAndExactText(string amount, double expected)
    {
        using MappedChunk chunk = Map(Chunk(amount));

        MutateRowsRequest.Types.Entry entry = MapperTestData.Decode(chunk.Rows).Entries.Single();

        Assert.IsEmpty(chunk.DeadLetters);
        CollectionAssert.AreEqual(CellEncoding.Float64(expected), Value(entry, "amount_f"));
        CollectionAssert.AreEqual(Encoding.ASCII.GetBytes(amount), Value(entry, "amount_s"));
    }

    [TestMethod]
    public void Map_NumericTrailingZeros_TextTrimmed()
    {
        using MappedChunk chunk = Map(Chunk("12.500000000"));

        MutateRowsRequest.Types.Entry entry = MapperTestData.Decode(chunk.Rows).Entries.Single();

        CollectionAssert.AreEqual("12.5"u8.ToArray(), Value(entry, "amount_s"));
    }

    [TestMethod]
    public void Map_DateIntoEventTimeTimestampAndString_MidnightMicrosAndIsoText()
    {
        using MappedChunk chunk = Map(Chunk("1"));

        MutateRowsRequest.Types.Entry entry = MapperTestData.Decode(chunk.Rows).Entries.Single();

        Assert.IsTrue(entry.Mutations.All(m => m.SetCell.TimestampMicros == Midnight), "the date is the event time");
        CollectionAssert.AreEqual(CellEncoding.Int64(Midnight), Value(entry, "day_ts"));
        CollectionAssert.AreEqual("2024-01-02"u8.ToArray(), Value(entry, "day_s"));
    }

    [TestMethod]
    public void Map_DateNotInBigQueryRange_DeadLettersTheRowForItsStringFeature()
    {
        var schema = new SourceSchema([Schema.Fields[0], Schema.Fields[1], new SourceField("when", ColumnType.Date)]);
        FeatureSetOptions featureSet = FeatureSet();
        featureSet.Features = [new FeatureOptions { Name = "when_s", Column = "when", Family = "f", Type = FeatureType.String }];
        RowMapper mapper = RowMapper.Create(featureSet, schema, MapperTestData.MaxEntryBytes);
        var late = new SourceChunk(0, 0, 1,
        [
            BinaryColumn.FromStrings(["e"]),
            new Int64Column([Midnight], 1, type: ColumnType.Date),
            new Int64Column([(DateValues.MaxDays + 1L) * DateValues.MicrosPerDay], 1, type: ColumnType.Date),
        ]);

        using MappedChunk mapped = mapper.Map(late);

        DeadLetter deadLetter = mapped.DeadLetters.Single();
        Assert.AreEqual(DeadLetterReason.BadValue, deadLetter.Reason);
        StringAssert.Contains(deadLetter.Message, "'when_s'");
    }

    [TestMethod]
    [DataRow(FeatureType.Int64)]
    [DataRow(FeatureType.Bool)]
    [DataRow(FeatureType.Bytes)]
    [DataRow(FeatureType.Timestamp)]
    public void Create_NumericIntoOtherFeatureType_RefusedNamingColumnTypesAndFeature(FeatureType type)
    {
        FeatureSetOptions featureSet = FeatureSet();
        featureSet.Features = [new FeatureOptions { Name = "price", Column = "amount", Family = "f", Type = type }];

        SchemaMismatchException error = Assert.ThrowsExactly<SchemaMismatchException>(() => RowMapper.Create(featureSet, Schema, MapperTestData.MaxEntryBytes));

        string problem = error.Errors.Single();
        StringAssert.Contains(problem, "Feature 'price'");
        StringAssert.Contains(problem, $"({type})");
        StringAssert.Contains(problem, "column 'amount'");
        StringAssert.Contains(problem, "is Numeric in the source");
        StringAssert.Contains(problem, "allowed: " + RowMapper.AllowedSources(type));
    }

    [TestMethod]
    [DataRow(FeatureType.Int64)]
    [DataRow(FeatureType.Float64)]
    [DataRow(FeatureType.Bool)]
    [DataRow(FeatureType.Bytes)]
    public void Create_DateIntoOtherFeatureType_RefusedNamingColumnTypesAndFeature(FeatureType type)
    {
        FeatureSetOptions featureSet = FeatureSet();
        featureSet.Features = [new FeatureOptions { Name = "d", Column = "day", Family = "f", Type = type }];

        SchemaMismatchException error = Assert.ThrowsExactly<SchemaMismatchException>(() => RowMapper.Create(featureSet, Schema, MapperTestData.MaxEntryBytes));

        StringAssert.Contains(error.Errors.Single(), $"Feature 'd' ({type}) column 'day' is Date in the source; allowed: ");
    }

    [TestMethod]
    public void Create_NumericEventTime_RefusedWithAllowedTypes()
    {
        FeatureSetOptions featureSet = FeatureSet();
        featureSet.EventTime = "amount";

        SchemaMismatchException error = Assert.ThrowsExactly<SchemaMismatchException>(() => RowMapper.Create(featureSet, Schema, MapperTestData.MaxEntryBytes));

        StringAssert.Contains(error.Errors.Single(), "Event time column 'amount' is Numeric in the source; allowed: Timestamp, Date.");
    }

    [TestMethod]
    public void AllowedSources_EveryFeatureType_AcceptsItsOwnColumnType()
    {
        foreach (FeatureType type in Enum.GetValues<FeatureType>())
        {
            Assert.AreEqual(CellConversion.None, RowMapper.ConversionOf(type, RowMapper.ToColumnType(type)), type.ToString());
            foreach (ColumnType source in Enum.GetValues<ColumnType>())
            {
                bool accepted = RowMapper.ConversionOf(type, source) is not null;
                Assert.AreEqual(accepted, RowMapper.AllowedSources(type).Split(", ").Contains(source.ToString()), $"{type} from {source}");
            }
        }
    }

    private static FeatureSetOptions FeatureSet() => new()
    {
        Table = "t",
        EntityKey = ["id"],
        EventTime = "day",
        Families = { ["f"] = new ColumnFamilyOptions { MaxVersions = 1 } },
        Features =
        [
            new FeatureOptions { Name = "amount_f", Column = "amount", Family = "f", Type = FeatureType.Float64 },
            new FeatureOptions { Name = "amount_s", Column = "amount", Family = "f", Type = FeatureType.String },
            new FeatureOptions { Name = "day_ts", Column = "day", Family = "f", Type = FeatureType.Timestamp },
            new FeatureOptions { Name = "day_s", Column = "day", Family = "f", Type = FeatureType.String },
        ],
    };

    private static SourceChunk Chunk(string amount) => new(0, 0, 1,
    [
        BinaryColumn.FromStrings(["e"]),
        new Int64Column([Midnight], 1, type: ColumnType.Date),
        NumericColumn.FromStrings([amount]),
    ]);

    private static MappedChunk Map(SourceChunk chunk) => RowMapper.Create(FeatureSet(), Schema, MapperTestData.MaxEntryBytes).Map(chunk);

    private static byte[] Value(MutateRowsRequest.Types.Entry entry, string qualifier) =>
        entry.Mutations.Single(m => m.SetCell.ColumnQualifier.ToStringUtf8() == qualifier).SetCell.Value.ToByteArray();
}
