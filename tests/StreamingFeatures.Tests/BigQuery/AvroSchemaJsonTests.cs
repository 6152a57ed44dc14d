using Avro;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.BigQuery;

/// <summary>The emulator's Avro session schema, read back with Apache.Avro's parser.</summary>
[TestClass]
public sealed class AvroSchemaJsonTests
{
    private static readonly SourceSchema Table = new(
    [
        new SourceField("id", ColumnType.String, false),
        new SourceField("n", ColumnType.Int64, true),
        new SourceField("x", ColumnType.Float64, false),
        new SourceField("ok", ColumnType.Bool, true),
        new SourceField("raw", ColumnType.Bytes, true),
        new SourceField("at", ColumnType.Timestamp, true),
        new SourceField("day", ColumnType.Date, false),
        new SourceField("amount", ColumnType.Numeric, true),
    ]);

    [TestMethod]
    public void For_EveryType_RootRecordWithSelectedFieldsInTableOrderAndBigQueryTypes()
    {
        var record = (RecordSchema)Schema.Parse(AvroSchemaJson.For(Table, [0, 1, 2, 3, 4, 5, 6, 7], displayNames: false));

        Assert.AreEqual("__root__", record.Name);
        CollectionAssert.AreEqual(new[] { "id", "n", "x", "ok", "raw", "at", "day", "amount" }, record.Fields.Select(f => f.Name).ToArray());
        CollectionAssert.AreEqual(
            new[]
            {
                "{\"type\":\"string\"}", "[\"null\",\"long\"]", "{\"type\":\"double\"}", "[\"null\",\"boolean\"]", "[\"null\",\"bytes\"]",
                "[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}]",
                "{\"type\":\"int\",\"logicalType\":\"date\"}",
                "[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":38,\"scale\":9}]",
            },
            record.Fields.Select(f => f.Schema.ToString()).ToArray());
        Assert.IsNull(record.Fields[0].GetProperty("displayName"), "no displayName unless asked for");
    }

    [TestMethod]
    public void For_SelectedColumns_OnlyThoseInTableOrder()
    {
        var record = (RecordSchema)Schema.Parse(AvroSchemaJson.For(Table, [1, 6], displayNames: false));

        CollectionAssert.AreEqual(new[] { "n", "day" }, record.Fields.Select(f => f.Name).ToArray());
    }

    [TestMethod]
    public void For_ColumnNameAvroCannotSpell_ThrowsNamingItAndTheOption()
    {
        var table = new SourceSchema([new SourceField("user-id", ColumnType.String, false)]);

        ArgumentException error = Assert.ThrowsExactly<ArgumentException>(() => AvroSchemaJson.For(table, [0], displayNames: false));

        StringAssert.Contains(error.Message, "'user-id'");
        StringAssert.Contains(error.Message, "enable_display_name_attribute");
    }

    [TestMethod]
    public void For_DisplayNames_PlaceholderForBadNamesAndEveryFieldNamed()
    {
        var table = new SourceSchema(
        [
            new SourceField("user-id", ColumnType.String, false),
            new SourceField("__col_0", ColumnType.Int64, false),
            new SourceField("Straße", ColumnType.Int64, true),
        ]);

        var record = (RecordSchema)Schema.Parse(AvroSchemaJson.For(table, [0, 1, 2], displayNames: true));

        CollectionAssert.AreEqual(new[] { "__col_0_", "__col_0", "__col_2" }, record.Fields.Select(f => f.Name).ToArray(), "placeholders never clash with a real column");
        CollectionAssert.AreEqual(new[] { "\"user-id\"", "\"__col_0\"", "\"Straße\"" }, record.Fields.Select(f => Unescape(f.GetProperty("displayName"))).ToArray());
    }

    [TestMethod]
    [DataRow("0", "00")]
    [DataRow("1", "01")]
    [DataRow("-1", "FF")]
    [DataRow("127", "7F")]
    [DataRow("128", "0080")]
    [DataRow("-128", "80")]
    [DataRow("-129", "FF7F")]
    [DataRow("99999999999999999999999999999999999999", "4B3B4CA85A86C47A098A223FFFFFFFFF")]
    [DataRow("-99999999999999999999999999999999999999", "B4C4B357A5793B85F675DDC000000001")]
    public void TwosComplement_ShortestBigEndianForm(string value, string hex)
    {
        var buffer = new byte[16];

        int length = AvroRowsEncoder.TwosComplement(Int128.Parse(value, System.Globalization.CultureInfo.InvariantCulture), buffer);

        Assert.AreEqual(hex, Convert.ToHexString(buffer, 16 - length, length));
    }

    private static string? Unescape(string? json) => json is null ? null : "\"" + System.Text.Json.JsonSerializer.Deserialize<string>(json) + "\"";
}
