using System.Numerics;
using System.Text;
using Avro;
using Avro.Generic;
using Avro.IO;
using Google.Cloud.BigQuery.Storage.V1;
using Google.Protobuf;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.BigQuery;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.BigQuery;

/// <summary>
/// Avro row blocks written by Apache.Avro's own GenericDatumWriter (an encoder independent of the emulator's) and
/// decoded by the source into column arrays: every type, nulls in both union orders, edge values.
/// </summary>
[TestClass]
public sealed class AvroRowsDecoderTests
{
    private const string Table = "projects/p/datasets/d/tables/t";

    private const string AllTypes = """
        {"type": "record", "name": "__root__", "fields": [
          {"name": "i64", "type": "long"},
          {"name": "i64_opt", "type": ["null", "long"]},
          {"name": "i32", "type": "int"},
          {"name": "f64", "type": ["null", "double"]},
          {"name": "f32", "type": "float"},
          {"name": "flag", "type": ["null", "boolean"]},
          {"name": "text", "type": ["null", "string"]},
          {"name": "blob", "type": ["null", "bytes"]},
          {"name": "ts", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}]},
          {"name": "ts_ms", "type": {"type": "long", "logicalType": "timestamp-millis"}},
          {"name": "day", "type": ["null", {"type": "int", "logicalType": "date"}]},
          {"name": "amount", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 9}]},
          {"name": "late_null", "type": ["long", "null"]}
        ]}
        """;

    private static readonly BigInteger MaxNumeric = BigInteger.Parse("99999999999999999999999999999999999999", System.Globalization.CultureInfo.InvariantCulture);

    [TestMethod]
    public void Decode_EveryTypeWithNulls_FillsTheEngineColumns()
    {
        var schema = (RecordSchema)Schema.Parse(AllTypes);
        GenericRecord[] rows =
        [
            Row(schema, long.MinValue, null, int.MinValue, double.NaN, 1.5f, true, "Sé 日本語 🚀", [0, 255], -1L, -62_135_596_800_000L, -719_162, MaxNumeric, 7L),
            Row(schema, long.MaxValue, 42L, int.MaxValue, null, -0.25f, null, null, null, null, 0L, null, null, null),
            Row(schema, 0L, -42L, 0, double.NegativeInfinity, 0f, false, "", [], 253_402_300_799_999_999L, 1_700_000_000_123L, 2_932_896, -MaxNumeric, -1L),
            Row(schema, -1L, 0L, -1, -0.0, float.MaxValue, true, "a\0b", [7], 0L, -1L, 0, BigInteger.One, 0L),
        ];

        SourceChunk chunk = Decode(AllTypes, Encode(schema, rows), rows.Length);

        Assert.AreEqual(3, chunk.Partition);
        Assert.AreEqual(100L, chunk.FirstOffset);
        Assert.AreEqual(4, chunk.RowCount);
        CollectionAssert.AreEqual(new[] { long.MinValue, long.MaxValue, 0L, -1L }, Int64s(chunk, 0).Values);
        Assert.IsNull(chunk.Columns[0].Nulls, "a required column has no null mask");
        AssertNulls(chunk.Columns[1], true, false, false, false);
        CollectionAssert.AreEqual(new[] { 42L, -42L, 0L }, Int64s(chunk, 1).Values[1..]);
        CollectionAssert.AreEqual(new[] { int.MinValue, (long)int.MaxValue, 0L, -1L }, Int64s(chunk, 2).Values);
        var doubles = (Float64Column)chunk.Columns[3];
        Assert.IsTrue(double.IsNaN(doubles.Values[0]));
        AssertNulls(doubles, false, true, false, false);
        Assert.AreEqual(double.NegativeInfinity, doubles.Values[2]);
        Assert.IsTrue(double.IsNegative(doubles.Values[3]), "-0.0 keeps its sign");
        CollectionAssert.AreEqual(new[] { 1.5, -0.25, 0.0, float.MaxValue }, ((Float64Column)chunk.Columns[4]).Values);
        var flags = (BoolColumn)chunk.Columns[5];
        AssertNulls(flags, false, true, false, false);
        Assert.IsTrue(flags.Values[0] && !flags.Values[2] && flags.Values[3]);
        var text = (BinaryColumn)chunk.Columns[6];
        Assert.AreEqual(ColumnType.String, text.Type);
        CollectionAssert.AreEqual(new[] { "Sé 日本語 🚀", "null", "", "a\0b" }, Enumerable.Range(0, 4).Select(text.Describe).ToArray());
        var blob = (BinaryColumn)chunk.Columns[7];
        Assert.AreEqual(ColumnType.Bytes, blob.Type);
        CollectionAssert.AreEqual(new byte[] { 0, 255 }, blob.Get(0).ToArray());
        Assert.IsTrue(blob.IsNull(1) && blob.Get(2).IsEmpty);
        CollectionAssert.AreEqual(new byte[] { 7 }, blob.Get(3).ToArray());
        Int64Column ts = Int64s(chunk, 8);
        Assert.AreEqual(ColumnType.Timestamp, ts.Type);
        AssertNulls(ts, false, true, false, false);
        CollectionAssert.AreEqual(new[] { -1L, 253_402_300_799_999_999L, 0L }, new[] { ts.Values[0], ts.Values[2], ts.Values[3] });
        CollectionAssert.AreEqual(new[] { -62_135_596_800_000_000L, 0L, 1_700_000_000_123_000L, -1_000L }, Int64s(chunk, 9).Values, "millis become micros");
        Int64Column days = Int64s(chunk, 10);
        Assert.AreEqual(ColumnType.Date, days.Type);
        CollectionAssert.AreEqual(new[] { "0001-01-01", "null", "9999-12-31", "1970-01-01" }, Enumerable.Range(0, 4).Select(days.Describe).ToArray());
        var amounts = (NumericColumn)chunk.Columns[11];
        Assert.AreEqual(9, amounts.Scale);
        CollectionAssert.AreEqual(
            new[] { "99999999999999999999999999999.999999999", "null", "-99999999999999999999999999999.999999999", "0.000000001" },
            Enumerable.Range(0, 4).Select(amounts.Describe).ToArray());
        AssertNulls(chunk.Columns[12], false, true, false, false);
        Assert.AreEqual(7L, Int64s(chunk, 12).Values[0]);
    }

    [TestMethod]
    public void Decode_ManyLongStrings_GrowsTheBufferAndKeepsEveryValue()
    {
        const string json = """{"type": "record", "name": "__root__", "fields": [{"name": "s", "type": "string"}]}""";
        var schema = (RecordSchema)Schema.Parse(json);
        string[] values = [.. Enumerable.Range(0, 300).Select(i => new string((char)('a' + (i % 26)), i * 7))];
        GenericRecord[] rows = [.. values.Select(v => Record(schema, ("s", v)))];

        var column = (BinaryColumn)Decode(json, Encode(schema, rows), rows.Length).Columns[0];

        CollectionAssert.AreEqual(values, Enumerable.Range(0, values.Length).Select(i => Encoding.UTF8.GetString(column.Get(i))).ToArray());
    }

    [TestMethod]
    public void Decode_BlockShorterThanRowCount_ThrowsNamingTheRow()
    {
        var schema = (RecordSchema)Schema.Parse(AllTypes);
        byte[] block = Encode(schema, [Row(schema, 1L, 2L, 3, 4.0, 5f, true, "x", [1], 6L, 7L, 8, BigInteger.One, 9L)]);

        InvalidDataException error = Assert.ThrowsExactly<InvalidDataException>(() => Decode(AllTypes, block, 2));

        StringAssert.Contains(error.Message, "Row 1 of the 2 rows");
    }

    [TestMethod]
    public void Decode_BytesLeftAfterTheRows_Throws()
    {
        const string json = """{"type": "record", "name": "__root__", "fields": [{"name": "n", "type": "long"}]}""";

        InvalidDataException error = Assert.ThrowsExactly<InvalidDataException>(() => Decode(json, [2, 4, 6], 2));

        StringAssert.Contains(error.Message, "1 bytes after the 2 rows");
    }

    [TestMethod]
    public void Decode_DateBeyondBigQueryRange_Throws()
    {
        const string json = """{"type": "record", "name": "__root__", "fields": [{"name": "d", "type": {"type": "int", "logicalType": "date"}}]}""";
        using var stream = new MemoryStream();
        new BinaryEncoder(stream).WriteInt(3_000_000);

        InvalidDataException error = Assert.ThrowsExactly<InvalidDataException>(() => Decode(json, stream.ToArray(), 1));

        StringAssert.Contains(error.Message, "3000000 days");
    }

    [TestMethod]
    public void Decode_ResponseWithoutAvroRows_Throws()
    {
        const string json = """{"type": "record", "name": "__root__", "fields": [{"name": "n", "type": "long"}]}""";
        var decoder = new AvroRowsDecoder(AvroSchemaMapping.Map(json, Table));

        InvalidDataException error = Assert.ThrowsExactly<InvalidDataException>(() => decoder.Decode(0, 0, new ReadRowsResponse { RowCount = 3 }));

        StringAssert.Contains(error.Message, "no Avro rows");
    }

    private static SourceChunk Decode(string json, byte[] block, long rowCount) =>
        new AvroRowsDecoder(AvroSchemaMapping.Map(json, Table)).Decode(3, 100, new ReadRowsResponse
        {
            RowCount = rowCount,
            AvroRows = new AvroRows { SerializedBinaryRows = ByteString.CopyFrom(block) },
        });

    /// <summary>Records back to back, no container: what <c>serialized_binary_rows</c> holds.</summary>
    private static byte[] Encode(RecordSchema schema, IEnumerable<GenericRecord> rows)
    {
        using var stream = new MemoryStream();
        var encoder = new BinaryEncoder(stream);
        var writer = new GenericDatumWriter<GenericRecord>(schema);
        foreach (GenericRecord row in rows)
        {
            writer.Write(row, encoder);
        }

        encoder.Flush();
        return stream.ToArray();
    }

    private static GenericRecord Row(
        RecordSchema schema, long i64, long? i64Opt, int i32, double? f64, float f32, bool? flag, string? text, byte[]? blob,
        long? tsMicros, long tsMillis, int? day, BigInteger? amount, long? lateNull) => Record(
            schema,
            ("i64", i64),
            ("i64_opt", i64Opt),
            ("i32", i32),
            ("f64", f64),
            ("f32", f32),
            ("flag", flag),
            ("text", text),
            ("blob", blob),
            ("ts", tsMicros is { } micros ? DateTime.UnixEpoch.AddTicks(micros * 10) : null),
            ("ts_ms", DateTime.UnixEpoch.AddTicks(tsMillis * 10_000)),
            ("day", day is { } d ? DateTime.UnixEpoch.AddDays(d) : null),
            ("amount", amount is { } a ? new AvroDecimal(a, 9) : null),
            ("late_null", lateNull));

    private static GenericRecord Record(RecordSchema schema, params (string Name, object? Value)[] values)
    {
        var record = new GenericRecord(schema);
        foreach ((string name, object? value) in values)
        {
            record.Add(name, value);
        }

        return record;
    }

    private static Int64Column Int64s(SourceChunk chunk, int column) => (Int64Column)chunk.Columns[column];

    private static void AssertNulls(ColumnVector column, params bool[] expected) =>
        CollectionAssert.AreEqual(expected, Enumerable.Range(0, expected.Length).Select(column.IsNull).ToArray());
}
