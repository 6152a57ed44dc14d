using Apache.Arrow;
using StreamingFeatures.Emulators.BigQuery;
using StreamingFeatures.Sources;
using StreamingFeatures.Sources.Columns;

namespace StreamingFeatures.Tests.BigQuery;

/// <summary>LIKE patterns as GoogleSQL reads them: % any run, _ one character (one byte for BYTES), \ escapes, case-sensitive.</summary>
[TestClass]
public sealed class LikeConditionTests
{
    private static readonly string?[] Values = ["100%", "100x", "a_b", "axb", "naïve", "na_ve", "", "Abc", "abc", "\\", "日本語", null];

    private static readonly SourceSchema Schema = new([new SourceField("s", ColumnType.String), new SourceField("b", ColumnType.Bytes)]);

    private static readonly RecordBatch Batch = BuildBatch();

    [TestMethod]
    [DataRow("100\\%", new[] { "100%" })]
    [DataRow("100%", new[] { "100%", "100x" })]
    [DataRow("a\\_b", new[] { "a_b" })]
    [DataRow("a_b", new[] { "a_b", "axb" })]
    [DataRow("na_ve", new[] { "naïve", "na_ve" })]
    [DataRow("", new[] { "" })]
    [DataRow("%", new[] { "100%", "100x", "a_b", "axb", "naïve", "na_ve", "", "Abc", "abc", "\\", "日本語" })]
    [DataRow("a%", new[] { "a_b", "axb", "abc" })]
    [DataRow("%b%", new[] { "a_b", "axb", "Abc", "abc" })]
    [DataRow("%%c", new[] { "Abc", "abc" })]
    [DataRow("\\\\", new[] { "\\" })]
    [DataRow("日_語", new[] { "日本語" })]
    [DataRow("__", new string[] { })]
    [DataRow("___", new[] { "a_b", "axb", "Abc", "abc", "日本語" })]
    public void Like_StringColumn_MatchesByCharacter(string pattern, string[] expected)
    {
        LikeCondition like = LikeCondition.Create(0, characters: true, pattern);

        CollectionAssert.AreEqual(expected, Matching(like), pattern);
    }

    [TestMethod]
    public void Like_BytesColumn_UnderscoreIsOneByte()
    {
        // ï is two bytes in UTF-8: one _ matches it in STRING, two in BYTES.
        CollectionAssert.AreEqual(new[] { "na_ve" }, Matching(LikeCondition.Create(1, characters: false, "na_ve")));
        CollectionAssert.AreEqual(new[] { "naïve" }, Matching(LikeCondition.Create(1, characters: false, "na__ve")));
    }

    [TestMethod]
    public void Like_NullValue_IsUnknownNotFalse()
    {
        LikeCondition like = LikeCondition.Create(0, characters: true, "%");

        Assert.IsNull(like.Evaluate(Batch, Values.Length - 1));
        Assert.IsNull(new NotCondition(like).Evaluate(Batch, Values.Length - 1), "NOT of unknown stays unknown");
    }

    [TestMethod]
    public void Create_TrailingBackslash_ThrowsNamingIt()
    {
        FormatException error = Assert.ThrowsExactly<FormatException>(() => LikeCondition.Create(0, characters: true, "abc\\"));

        StringAssert.Contains(error.Message, "ends with a backslash");
    }

    private static string[] Matching(LikeCondition like) =>
        [.. Enumerable.Range(0, Values.Length).Where(i => like.Evaluate(Batch, i) == true).Select(i => Values[i]!)];

    private static RecordBatch BuildBatch()
    {
        bool[] nulls = [.. Values.Select(v => v is null)];
        string[] texts = [.. Values.Select(v => v ?? string.Empty)];
        BinaryColumn strings = BinaryColumn.FromStrings(texts);
        var chunk = new SourceChunk(0, 0, Values.Length,
        [
            new BinaryColumn(strings.Data, strings.Offsets, Values.Length, nulls, ColumnType.String),
            new BinaryColumn(strings.Data, strings.Offsets, Values.Length, nulls, ColumnType.Bytes),
        ]);
        return ArrowColumns.ToRecordBatch(ArrowColumns.SchemaOf(Schema), chunk);
    }
}
