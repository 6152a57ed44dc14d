using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.BigQuery;

[TestClass]
public sealed class AvroSchemaMappingTests
{
    private const string Table = "projects/p/datasets/d/tables/t";

    [TestMethod]
    public void Map_EveryBigQueryType_GivesTheArrowMappingsTypesAndNullability()
    {
        const string json = """
            {"type": "record", "name": "__root__", "fields": [
              {"name": "i64", "type": ["null", "long"]},
              {"name": "i32", "type": "int"},
              {"name": "d", "type": ["null", "double"]},
              {"name": "f", "type": "float"},
              {"name": "b", "type": ["null", "boolean"]},
              {"name": "s", "type": ["null", "string"]},
              {"name": "y", "type": "bytes"},
              {"name": "ts", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}]},
              {"name": "day", "type": ["null", {"type": "int", "logicalType": "date"}]},
              {"name": "amount", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 9}]}
            ]}
            """;

        SourceSchema mapped = AvroSchemaMapping.Map(json, Table).Schema;

        CollectionAssert.AreEqual(new[] { "i64", "i32", "d", "f", "b", "s", "y", "ts", "day", "amount" }, mapped.Fields.Select(f => f.Name).ToArray());
        CollectionAssert.AreEqual(
            new[]
            {
                ColumnType.Int64, ColumnType.Int64, ColumnType.Float64, ColumnType.Float64, ColumnType.Bool,
                ColumnType.String, ColumnType.Bytes, ColumnType.Timestamp, ColumnType.Date, ColumnType.Numeric,
            },
            mapped.Fields.Select(f => f.Type).ToArray());
        CollectionAssert.AreEqual(
            new[] { true, false, true, false, true, true, false, true, true, true },
            mapped.Fields.Select(f => f.Nullable).ToArray(),
            "a [\"null\", T] union is NULLABLE, a bare type REQUIRED");
    }

    [TestMethod]
    public void Map_DisplayNames_NameTheColumns()
    {
        const string json = """
            {"type": "record", "name": "__root__", "fields": [
              {"name": "__col_0", "type": "long", "displayName": "user-id"},
              {"name": "plain", "type": "long", "displayName": "plain"}
            ]}
            """;

        SourceSchema mapped = AvroSchemaMapping.Map(json, Table).Schema;

        CollectionAssert.AreEqual(new[] { "user-id", "plain" }, mapped.Fields.Select(f => f.Name).ToArray());
    }

    [TestMethod]
    public void Map_UnsupportedTypes_ThrowsNamingEachColumnTypeAndRemedy()
    {
        const string json = """
            {"type": "record", "name": "__root__", "fields": [
              {"name": "price", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 77, "scale": 38}]},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "address", "type": ["null", {"type": "record", "name": "address_rec", "fields": [{"name": "city", "type": "string"}]}]},
              {"name": "seen_at", "type": ["null", {"type": "string", "sqlType": "DATETIME"}]},
              {"name": "at", "type": ["null", {"type": "long", "logicalType": "time-micros"}]},
              {"name": "either", "type": ["null", "long", "string"]},
              {"name": "ok", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 9}]}
            ]}
            """;

        BigQuerySourceException error = Assert.ThrowsExactly<BigQuerySourceException>(() => AvroSchemaMapping.Map(json, Table));

        StringAssert.Contains(error.Message, Table);
        StringAssert.Contains(error.Message, "column 'price' has Avro type union [null, decimal(77, 38) (BigQuery BIGNUMERIC)]");
        StringAssert.Contains(error.Message, "cast it to NUMERIC");
        StringAssert.Contains(error.Message, "column 'tags' has Avro type array<string> (BigQuery ARRAY)");
        StringAssert.Contains(error.Message, "column 'address' has Avro type union [null, record (BigQuery STRUCT)]");
        StringAssert.Contains(error.Message, "top-level columns in a view");
        StringAssert.Contains(error.Message, "column 'seen_at' has Avro type union [null, string (BigQuery DATETIME)]");
        StringAssert.Contains(error.Message, "column 'at' has Avro type union [null, long time-micros (BigQuery TIME)]");
        StringAssert.Contains(error.Message, "column 'either' has Avro type union [null, long, string]");
        Assert.DoesNotContain("'ok'", error.Message);
    }

    [TestMethod]
    public void Map_NotJson_ThrowsNamingTheTable()
    {
        BigQuerySourceException error = Assert.ThrowsExactly<BigQuerySourceException>(() => AvroSchemaMapping.Map("{not avro", Table));

        StringAssert.Contains(error.Message, Table);
        StringAssert.Contains(error.Message, "does not parse");
    }
}
