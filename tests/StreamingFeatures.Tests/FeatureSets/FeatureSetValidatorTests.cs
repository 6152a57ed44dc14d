using StreamingFeatures.FeatureSets;
using static StreamingFeatures.Tests.FeatureSets.FeatureSetTestData;

namespace StreamingFeatures.Tests.FeatureSets;

[TestClass]
public sealed class FeatureSetValidatorTests
{
    [TestMethod]
    public void Validate_ValidOptions_ReturnsNoErrors()
    {
        Assert.IsEmpty(FeatureSetValidator.Validate(Valid()));
    }

    [TestMethod]
    public void Validate_Null_Throws()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => FeatureSetValidator.Validate(null!));
    }

    [TestMethod]
    public void Validate_TableEmpty_NamesTableAndRule()
    {
        FeatureSetOptions options = Valid();
        options.Table = "";

        AssertSingleError(options, "table is empty; allowed: 1 to 50 characters of [-_.a-zA-Z0-9], not starting with - or .");
    }

    [TestMethod]
    [DataRow("-users", "\"-users\"")]
    [DataRow(".users", "\".users\"")]
    [DataRow("user features", "\"user features\"")]
    [DataRow("users\n", "\"users\\n\"")]
    [DataRow("usérs", "\"usérs\"")]
    public void Validate_TableBadCharacters_NamesValue(string table, string shown)
    {
        FeatureSetOptions options = Valid();
        options.Table = table;

        AssertSingleError(options, $"table is {shown}; allowed: 1 to 50 characters");
    }

    [TestMethod]
    public void Validate_TableOf51Characters_ShowsLength()
    {
        FeatureSetOptions options = Valid();
        options.Table = new string('t', 51);

        AssertSingleError(options, "table is \"tttt", "(51 characters)", "allowed: 1 to 50 characters");
    }

    [TestMethod]
    public void Validate_TableOf50CharactersStartingWithUnderscore_Passes()
    {
        FeatureSetOptions options = Valid();
        options.Table = "_" + new string('t', 49);

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }

    [TestMethod]
    public void Validate_EntityKeyEmpty_NamesEntityKey()
    {
        FeatureSetOptions options = Valid();
        options.EntityKey = [];

        AssertSingleError(options, "entityKey is empty; allowed: one or more column names");
    }

    [TestMethod]
    public void Validate_EntityKeyBlankColumn_NamesIndex()
    {
        FeatureSetOptions options = Valid();
        options.EntityKey = ["tenant_id", " "];

        AssertSingleError(options, "entityKey[1] is \" \"; allowed: a column name");
    }

    [TestMethod]
    public void Validate_EntityKeyRepeatedColumn_NamesBothIndexes()
    {
        FeatureSetOptions options = Valid();
        options.EntityKey = ["user_id", "tenant_id", "user_id"];

        AssertSingleError(options, "entityKey[2] is \"user_id\"; allowed: a column not already in the key (entityKey[0])");
    }

    [TestMethod]
    public void Validate_EventTimeEmpty_NamesEventTime()
    {
        FeatureSetOptions options = Valid();
        options.EventTime = "";

        AssertSingleError(options, "eventTime is empty; allowed: a column name");
    }

    [TestMethod]
    public void Validate_NoFeatures_NamesCountAndRange()
    {
        FeatureSetOptions options = Valid();
        options.Features = [];

        AssertSingleError(options, "features has 0 entries; allowed: 1 to 1,000 features");
    }

    [TestMethod]
    public void Validate_1001Features_NamesCountAndRange()
    {
        FeatureSetOptions options = Valid();
        options.Features = [.. Enumerable.Range(0, 1001).Select(i => new FeatureOptions { Name = $"x{i}", Family = "f" })];

        AssertSingleError(options, "features has 1,001 entries; allowed: 1 to 1,000 features");
    }

    [TestMethod]
    public void Validate_1000Features_Passes()
    {
        FeatureSetOptions options = Valid();
        options.Features = [.. Enumerable.Range(0, 1000).Select(i => new FeatureOptions { Name = $"x{i}", Family = "f" })];

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }

    [TestMethod]
    public void Validate_NullFeature_NamesIndex()
    {
        FeatureSetOptions options = Valid();
        options.Features[1] = null!;

        AssertSingleError(options, "features[1] is null; allowed: a feature");
    }

    [TestMethod]
    public void Validate_FeatureNameEmpty_NamesPath()
    {
        FeatureSetOptions options = Valid();
        options.Features[1].Name = "";
        options.Features[1].Qualifier = "clicks";

        AssertSingleError(options, "features[1].name is empty; allowed: a feature name");
    }

    [TestMethod]
    public void Validate_FeatureNameRepeated_NamesBothFeatures()
    {
        FeatureSetOptions options = Valid();
        options.Features[1].Name = "country";

        AssertSingleError(options, "features[1].name is \"country\"; allowed: a name no other feature has (features[0] has it)");
    }

    [TestMethod]
    public void Validate_FeatureColumnBlank_NamesPath()
    {
        FeatureSetOptions options = Valid();
        options.Features[0].Column = "  ";

        AssertSingleError(options, "features[0].column is \"  \"; allowed: a column name");
    }

    [TestMethod]
    public void Validate_FeatureReadsEventTimeAndEntityKeyColumns_Passes()
    {
        FeatureSetOptions options = Valid();
        options.Features[0].Column = "user_id";
        options.Features[1].Column = "event_time";

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }

    [TestMethod]
    public void Validate_FamilyNotDeclared_ListsDeclaredFamilies()
    {
        FeatureSetOptions options = Valid();
        options.Features[1].Family = "meta";

        AssertSingleError(options, "features[1].family is \"meta\"; allowed: a family declared in families (f, agg)");
    }

    [TestMethod]
    public void Validate_FamilyEmpty_NamesPath()
    {
        FeatureSetOptions options = Valid();
        options.Features[0].Family = "";

        AssertSingleError(options, "features[0].family is empty; allowed: a family declared in families (f, agg)");
    }

    [TestMethod]
    public void Validate_FamilyNameInvalidInFeature_NamesRule()
    {
        FeatureSetOptions options = Valid();
        options.Features[0].Family = "my family";

        AssertSingleError(options, "features[0].family is \"my family\"; allowed: 1 to 64 characters of [-_.a-zA-Z0-9]");
    }

    [TestMethod]
    public void Validate_DeclaredFamilyNameInvalid_NamesFamilyAndRule()
    {
        FeatureSetOptions options = Valid();
        options.Families["my family"] = new ColumnFamilyOptions();

        AssertSingleError(options, "families[\"my family\"] is named \"my family\"; allowed: 1 to 64 characters");
    }

    [TestMethod]
    public void Validate_DeclaredFamilyNameOf65Characters_ShowsLength()
    {
        FeatureSetOptions options = Valid();
        options.Families[new string('a', 65)] = new ColumnFamilyOptions();

        AssertSingleError(options, "(65 characters); allowed: 1 to 64 characters");
    }

    [TestMethod]
    public void Validate_DeclaredFamilyUnused_Passes()
    {
        FeatureSetOptions options = Valid();
        options.Families["unused"] = new ColumnFamilyOptions();

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }

    [TestMethod]
    public void Validate_QualifierOver16KiB_NamesBytesAndLimit()
    {
        FeatureSetOptions options = Valid();
        options.Features[0].Qualifier = new string('é', 8193); // 2 bytes each in UTF-8

        AssertSingleError(options, "features[0].qualifier is \"éé", "(16,386 bytes of UTF-8)", "allowed: at most 16,384 bytes of UTF-8");
    }

    [TestMethod]
    public void Validate_QualifierOfExactly16KiB_Passes()
    {
        FeatureSetOptions options = Valid();
        options.Features[0].Qualifier = new string('q', 16_384);

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }

    [TestMethod]
    public void Validate_LongNameUsedAsQualifier_SaysQualifierComesFromName()
    {
        FeatureSetOptions options = Valid();
        options.Features[0].Name = new string('n', 16_385);

        AssertSingleError(options, "features[0].qualifier is", "(16,385 bytes of UTF-8, taken from name)");
    }

    [TestMethod]
    public void Validate_TwoFeaturesWriteOneCell_NamesCellAndOtherFeature()
    {
        FeatureSetOptions options = Valid();
        options.Features.Add(new FeatureOptions { Name = "country_code", Family = "f", Qualifier = "country" });

        AssertSingleError(
            options, "features[2].qualifier is \"country\" in family \"f\"; allowed: a cell no other feature writes (features[0] writes it)");
    }

    [TestMethod]
    public void Validate_SameQualifierInTwoFamilies_Passes()
    {
        FeatureSetOptions options = Valid();
        options.Features.Add(new FeatureOptions { Name = "country_agg", Family = "agg", Qualifier = "country" });

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-1)]
    [DataRow(1_000_001)]
    public void Validate_MaxVersionsOutOfRange_NamesFamilyValueAndRange(int versions)
    {
        FeatureSetOptions options = Valid();
        options.Families["agg"].MaxVersions = versions;

        AssertSingleError(options, $"families.agg.maxVersions is {versions}; allowed: 1 to 1,000,000");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(1_000_000)]
    public void Validate_MaxVersionsAtLimits_Passes(int versions)
    {
        FeatureSetOptions options = Valid();
        options.Families["agg"].MaxVersions = versions;

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }

    [TestMethod]
    [DataRow(0L, "0ms")]
    [DataRow(-10_000_000L, "-1s")]
    [DataRow(15_000L, "00:00:00.0015000")]
    [DataRow(3_652_501L * TimeSpan.TicksPerDay, "3652501d")]
    public void Validate_MaxAgeInvalid_NamesFamilyValueAndRange(long ticks, string shown)
    {
        FeatureSetOptions options = Valid();
        options.Families["agg"].MaxAge = new TimeSpan(ticks);

        AssertSingleError(options, $"families.agg.maxAge is {shown}; allowed: 1ms to 3652500d (10,000 years), in whole milliseconds");
    }

    [TestMethod]
    public void Validate_MaxAgeOfOneMillisecond_Passes()
    {
        FeatureSetOptions options = Valid();
        options.Families["agg"].MaxAge = TimeSpan.FromMilliseconds(1);

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }

    [TestMethod]
    public void Validate_NullFamily_NamesFamily()
    {
        FeatureSetOptions options = Valid();
        options.Families["agg"] = null!;

        AssertSingleError(options, "families.agg is null; allowed: an object with maxVersions and/or maxAge");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(65_537)]
    public void Validate_BucketsOutOfRange_NamesValueAndRange(int buckets)
    {
        FeatureSetOptions options = Valid();
        options.RowKey.Buckets = buckets;

        AssertSingleError(options, $"rowKey.buckets is {buckets}; allowed: 1 to 65,536");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(RowKeyOptions.MaxBuckets)]
    public void Validate_BucketsAtLimits_Passes(int buckets)
    {
        FeatureSetOptions options = Valid();
        options.RowKey.Buckets = buckets;

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }

    [TestMethod]
    [DataRow("", "empty")]
    [DataRow("##", "\"##\"")]
    [DataRow("a", "\"a\"")]
    [DataRow("7", "\"7\"")]
    [DataRow("\\", "\"\\\\\"")]
    [DataRow(" ", "\" \"")]
    [DataRow("\t", "\"\\t\"")]
    [DataRow("§", "\"§\"")]
    public void Validate_DelimiterInvalid_NamesValueAndRule(string delimiter, string shown)
    {
        FeatureSetOptions options = Valid();
        options.RowKey.Delimiter = delimiter;

        AssertSingleError(options, $"rowKey.delimiter is {shown}; allowed: one printable ASCII character other than a letter, digit, space or backslash");
    }

    [TestMethod]
    [DataRow("#")]
    [DataRow("|")]
    [DataRow(":")]
    [DataRow("~")]
    [DataRow("!")]
    public void Validate_DelimiterPrintablePunctuation_Passes(string delimiter)
    {
        FeatureSetOptions options = Valid();
        options.RowKey.Delimiter = delimiter;

        Assert.IsEmpty(FeatureSetValidator.Validate(options));
    }

    [TestMethod]
    public void Validate_FeatureTypeUndefined_ListsTypes()
    {
        FeatureSetOptions options = Valid();
        options.Features[0].Type = (FeatureType)42;

        AssertSingleError(options, "features[0].type is 42; allowed: int64, float64, bool, string, bytes, timestamp");
    }

    [TestMethod]
    public void Validate_NullsUndefined_ListsValues()
    {
        FeatureSetOptions options = Valid();
        options.Nulls = (NullHandling)7;

        AssertSingleError(options, "nulls is 7; allowed: skip, deleteColumn");
    }

    [TestMethod]
    public void Validate_NullSections_NamesEach()
    {
        FeatureSetOptions options = Valid();
        options.RowKey = null!;
        options.EntityKey = null!;

        IReadOnlyList<string> errors = FeatureSetValidator.Validate(options);

        Assert.HasCount(2, errors);
        Assert.Contains("entityKey is null; allowed: one or more column names", errors);
        Assert.Contains("rowKey is null; allowed: row key settings, or none for the defaults", errors);
    }

    [TestMethod]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        FeatureSetOptions options = Valid();
        options.Table = "bad table";
        options.EventTime = "";
        options.Features[1].Family = "meta";
        options.Families["f"].MaxVersions = 0;
        options.RowKey.Buckets = 100_000;
        options.RowKey.Delimiter = "ab";

        IReadOnlyList<string> errors = FeatureSetValidator.Validate(options);

        Assert.HasCount(6, errors, string.Join(Environment.NewLine, errors));
        string all = string.Join(Environment.NewLine, errors);
        StringAssert.Contains(all, "table is \"bad table\"");
        StringAssert.Contains(all, "eventTime is empty");
        StringAssert.Contains(all, "features[1].family is \"meta\"");
        StringAssert.Contains(all, "families.f.maxVersions is 0");
        StringAssert.Contains(all, "rowKey.buckets is 100000");
        StringAssert.Contains(all, "rowKey.delimiter is \"ab\"");
    }

    [TestMethod]
    public void ThrowIfInvalid_ValidOptions_DoesNotThrow()
    {
        FeatureSetValidator.ThrowIfInvalid(Valid());
    }

    [TestMethod]
    public void ThrowIfInvalid_TwoProblems_ThrowsWithHeaderAndOneLineEach()
    {
        FeatureSetOptions options = Valid();
        options.EventTime = "";
        options.RowKey.Buckets = 0;

        var error = Assert.ThrowsExactly<FeatureSetException>(() => FeatureSetValidator.ThrowIfInvalid(options));

        Assert.HasCount(2, error.Errors);
        string[] lines = error.Message.Split(Environment.NewLine);
        Assert.HasCount(3, lines);
        Assert.AreEqual("Feature set 'user_features' is invalid (2 errors):", lines[0]);
        Assert.AreEqual("  " + error.Errors[0], lines[1]);
        Assert.AreEqual("  " + error.Errors[1], lines[2]);
    }
}
