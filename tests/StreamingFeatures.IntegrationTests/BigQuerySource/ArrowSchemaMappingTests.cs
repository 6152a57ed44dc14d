using Apache.Arrow;
using Apache.Arrow.Types;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.IntegrationTests.BigQuerySource;

[TestClass]
[TestCategory("Integration")]
public sealed class ArrowSchemaMappingTests
{
    private const string Table = "projects/p/datasets/d/tables/t";

    [TestMethod]
    public void Map_EverySupportedArrowType_GivesTheEngineType()
    {
        var schema = new Schema(
        [
            new Field("i64", Int64Type.Default, true),
            new Field("i32", Int32Type.Default, true),
            new Field("i16", Int16Type.Default, false),
            new Field("d", DoubleType.Default, true),
            new Field("f", FloatType.Default, true),
            new Field("b", BooleanType.Default, true),
            new Field("s", StringType.Default, true),
            new Field("y", BinaryType.Default, true),
            new Field("ts", new TimestampType(TimeUnit.Nanosecond, "UTC"), true),
            new Field("day", Date32Type.Default, true),
            new Field("amount", new Decimal128Type(38, 9), true),
        ], metadata: null);

        SourceSchema mapped = ArrowSchemaMapping.Map(schema, Table);

        CollectionAssert.AreEqual(
            new[]
            {
                ColumnType.Int64, ColumnType.Int64, ColumnType.Int64, ColumnType.Float64, ColumnType.Float64, ColumnType.Bool,
                ColumnType.String, ColumnType.Bytes, ColumnType.Timestamp, ColumnType.Date, ColumnType.Numeric,
            },
            mapped.Fields.Select(f => f.Type).ToArray());
        Assert.IsFalse(mapped.Fields[2].Nullable);
    }

    [TestMethod]
    public void Map_BigNumericListAndStructColumns_ThrowsNamingEachColumnTypeAndRemedy()
    {
        var schema = new Schema(
        [
            new Field("price", new Decimal256Type(76, 38), true),
            new Field("tags", new ListType(StringType.Default), true),
            new Field("address", new StructType([new Field("city", StringType.Default, true)]), true),
            new Field("ok", new Decimal128Type(38, 9), true),
        ], metadata: null);

        BigQuerySourceException error = Assert.ThrowsExactly<BigQuerySourceException>(() => ArrowSchemaMapping.Map(schema, Table));

        StringAssert.Contains(error.Message, Table);
        StringAssert.Contains(error.Message, "column 'price' has Arrow type decimal256(76, 38) (BigQuery BIGNUMERIC)");
        StringAssert.Contains(error.Message, "cast it to NUMERIC");
        StringAssert.Contains(error.Message, "column 'tags' has Arrow type list<utf8> (BigQuery ARRAY)");
        StringAssert.Contains(error.Message, "column 'address' has Arrow type struct (BigQuery STRUCT)");
        StringAssert.Contains(error.Message, "top-level columns in a view");
        Assert.DoesNotContain("'ok'", error.Message);
    }
}
