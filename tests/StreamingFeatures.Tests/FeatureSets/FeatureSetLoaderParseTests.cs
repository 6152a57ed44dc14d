using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Tests.FeatureSets;

[TestClass]
public sealed class FeatureSetLoaderParseTests
{
    private const string Yaml = """
        table: t
        entityKey: id
        eventTime: ts
        families:
          f: {}
        features:
          - name: a
            family: f
            type: int64
        """;

    private const string Json = """
        {
          "table": "t",
          "entityKey": "id",
          "eventTime": "ts",
          "families": { "f": {} },
          "features": [
            { "name": "a", "family": "f", "type": "int64" }
          ]
        }
        """;

    [TestMethod]
    public void Parse_MinimalYaml_AppliesDefaults()
    {
        FeatureSetOptions options = FeatureSetLoader.Parse(Yaml, FeatureSetFormat.Yaml);

        Assert.AreEqual(64, options.RowKey.Buckets);
        Assert.AreEqual("#", options.RowKey.Delimiter);
        Assert.AreEqual(NullHandling.Skip, options.Nulls);
        Assert.IsNull(options.Families["f"].MaxVersions);
        Assert.IsFalse(options.Features[0].Nullable);
    }

    [TestMethod]
    public void Parse_UnknownRootKey_ReportsPathPositionAndAllowedKeys()
    {
        string[] errors = Errors(Yaml + "\ntabel: x", FeatureSetFormat.Yaml);

        Assert.AreEqual(
            "tabel is not a setting; allowed: table, entityKey, eventTime, features, families, rowKey, nulls, maxFutureSkew (at line 10, column 1)", errors[0]);
    }

    [TestMethod]
    public void Parse_UnknownFeatureKeyInYaml_ReportsPathAndPosition()
    {
        string[] errors = Errors(Yaml + "\n    familly: f", FeatureSetFormat.Yaml);

        Assert.AreEqual(
            "features[0].familly is not a setting; allowed: name, column, family, qualifier, type, nullable (at line 10, column 5)", errors[0]);
    }

    [TestMethod]
    public void Parse_UnknownFeatureKeyInJson_ReportsPathAndPosition()
    {
        string[] errors = Errors(Json.Replace("\"type\"", "\"typ\"", StringComparison.Ordinal), FeatureSetFormat.Json);

        Assert.HasCount(2, errors);
        Assert.AreEqual(
            "features[0].type is not set; allowed: int64, float64, bool, string, bytes, timestamp (at line 7, column 5)", errors[0]);
        Assert.AreEqual(
            "features[0].typ is not a setting; allowed: name, column, family, qualifier, type, nullable (at line 7, column 35)", errors[1]);
    }

    [TestMethod]
    public void Parse_UnknownKeysInFamilyAndRowKey_ReportsEach()
    {
        string text = Yaml.Replace("f: {}", "f: { maxage: 30d }", StringComparison.Ordinal) + "\nrowKey:\n  bucket: 8";

        string[] errors = Errors(text, FeatureSetFormat.Yaml);

        Assert.HasCount(2, errors);
        StringAssert.StartsWith(errors[0], "families.f.maxage is not a setting; allowed: maxVersions, maxAge (at line 5");
        StringAssert.StartsWith(errors[1], "rowKey.bucket is not a setting; allowed: bucketPrefix, buckets, delimiter, reversedTimeSuffix (at line 11");
    }

    [TestMethod]
    public void Parse_KeyCaseDiffers_IsUnknown()
    {
        string[] errors = Errors(Yaml.Replace("eventTime", "EventTime", StringComparison.Ordinal), FeatureSetFormat.Yaml);

        Assert.HasCount(2, errors);
        StringAssert.StartsWith(errors[0], "EventTime is not a setting;");
        Assert.AreEqual("eventTime is empty; allowed: a column name", errors[1]);
    }

    [TestMethod]
    public void Parse_RepeatedKey_ReportsSecondOccurrence()
    {
        string[] errors = Errors(Yaml + "\ntable: u", FeatureSetFormat.Yaml);

        Assert.AreSequenceEqual(["table is set more than once; allowed: one value per setting (at line 10, column 1)"], errors);
    }

    [TestMethod]
    public void Parse_BadYamlSyntax_ReportsLineAndColumn()
    {
        string[] errors = Errors("table: t\nfeatures:\n  - name: [a\n", FeatureSetFormat.Yaml);

        Assert.HasCount(1, errors);
        StringAssert.StartsWith(errors[0], "YAML syntax error: ");
        StringAssert.Contains(errors[0], "(at line 4, column 1)");
    }

    [TestMethod]
    public void Parse_YamlTab_ReportsLine()
    {
        string[] errors = Errors("table: t\nrowKey:\n\tbuckets: 8\n", FeatureSetFormat.Yaml);

        Assert.AreSequenceEqual(["YAML syntax error: While scanning a mapping, found invalid tab as indentation (at line 3, column 1)"], errors);
    }

    [TestMethod]
    public void Parse_YamlThatCrashesTheScanner_ReportsSyntaxErrorWithLine()
    {
        string[] errors = Errors("table: t\nentityKey: [a, b\neventTime: ts\n", FeatureSetFormat.Yaml);

        Assert.HasCount(1, errors);
        StringAssert.StartsWith(errors[0], "YAML syntax error: ");
        StringAssert.Contains(errors[0], "(at line 2,");
    }

    [TestMethod]
    public void Parse_BadJsonSyntax_ReportsLineAndColumn()
    {
        string[] errors = Errors("{\n  \"table\": \"t\"\n  \"eventTime\": \"ts\"\n}", FeatureSetFormat.Json);

        Assert.HasCount(1, errors);
        StringAssert.StartsWith(errors[0], "JSON syntax error: ");
        StringAssert.EndsWith(errors[0], "(at line 3, column 3)");
    }

    [TestMethod]
    public void Parse_JsonSyntaxError_InnerExceptionIsJsonException()
    {
        var error = Assert.ThrowsExactly<FeatureSetException>(() => FeatureSetLoader.Parse("{", FeatureSetFormat.Json));

        Assert.IsInstanceOfType<System.Text.Json.JsonException>(error.InnerException);
    }

    [TestMethod]
    [DataRow("", FeatureSetFormat.Yaml, "the text holds no YAML document (at line 1, column 1)")]
    [DataRow("# only a comment\n", FeatureSetFormat.Yaml, "the text holds no YAML document")]
    [DataRow("", FeatureSetFormat.Json, "JSON syntax error: ")]
    [DataRow("a: 1\n---\nb: 2\n", FeatureSetFormat.Yaml, "the text holds more than one YAML document; allowed: one (at line 2, column 1)")]
    public void Parse_NotOneDocument_ReportsIt(string text, FeatureSetFormat format, string expected)
    {
        StringAssert.StartsWith(Errors(text, format)[0], expected);
    }

    [TestMethod]
    [DataRow("- a\n- b\n", FeatureSetFormat.Yaml, "the feature set is a list; allowed: an object with table, entityKey")]
    [DataRow("42", FeatureSetFormat.Json, "the feature set is 42; allowed: an object with table, entityKey")]
    public void Parse_RootNotObject_ReportsOnlyThat(string text, FeatureSetFormat format, string expected)
    {
        string[] errors = Errors(text, format);

        Assert.HasCount(1, errors);
        StringAssert.StartsWith(errors[0], expected);
    }

    [TestMethod]
    public void Parse_ReadAndValidationErrors_AreReportedTogetherInFileOrderWithoutFollowOnNoise()
    {
        string text = Yaml.Replace("f: {}", "f: { maxVersions: 0 }", StringComparison.Ordinal)
            + "\n    colour: red\n  - name: b\n    family: meta\n    type: int\nrowKey:\n  buckets: many";

        string[] errors = Errors(text, FeatureSetFormat.Yaml);

        Assert.AreSequenceEqual(
            [
                "families.f.maxVersions is 0; allowed: 1 to 1,000,000 (at line 5, column 8)",
                "features[0].colour is not a setting; allowed: name, column, family, qualifier, type, nullable (at line 10, column 5)",
                "features[1].family is \"meta\"; allowed: a family declared in families (f) (at line 12, column 5)",
                "features[1].type is \"int\"; allowed: int64, float64, bool, string, bytes, timestamp (at line 13, column 11)",
                "rowKey.buckets is \"many\"; allowed: a whole number, 1 to 65,536 (at line 15, column 12)",
            ],
            errors);
    }

    [TestMethod]
    public void Parse_JsonValueOfWrongKind_ReportsItOnce()
    {
        string text = Json.Replace("\"t\"", "5", StringComparison.Ordinal).Replace("{ \"f\": {} }", "{ \"f\": { \"maxVersions\": \"3\" } }", StringComparison.Ordinal);

        string[] errors = Errors(text, FeatureSetFormat.Json);

        Assert.AreSequenceEqual(
            [
                "table is 5; allowed: text (at line 2, column 12)",
                "families.f.maxVersions is \"3\"; allowed: a whole number, 1 to 1,000,000 (at line 5, column 39)",
            ],
            errors);
    }

    [TestMethod]
    public void Parse_FeatureNotObject_KeepsLaterIndexes()
    {
        string text = Yaml + "\n  - just-a-name\n  - name: c\n    family: g\n    type: bool";

        string[] errors = Errors(text, FeatureSetFormat.Yaml);

        Assert.HasCount(2, errors);
        StringAssert.StartsWith(errors[0], "features[1] is \"just-a-name\"; allowed: an object with name, column");
        StringAssert.StartsWith(errors[1], "features[2].family is \"g\"; allowed: a family declared in families (f)");
    }

    [TestMethod]
    public void Parse_TypeMissing_ReportsIt()
    {
        string[] errors = Errors(Yaml.Replace("    type: int64", "    type: ~", StringComparison.Ordinal), FeatureSetFormat.Yaml);

        Assert.AreSequenceEqual(["features[0].type is not set; allowed: int64, float64, bool, string, bytes, timestamp (at line 7, column 5)"], errors);
    }

    [TestMethod]
    [DataRow("int64", FeatureType.Int64)]
    [DataRow("INT64", FeatureType.Int64)]
    [DataRow("Float64", FeatureType.Float64)]
    [DataRow("\"timestamp\"", FeatureType.Timestamp)]
    [DataRow("Bytes", FeatureType.Bytes)]
    public void Parse_TypeInAnyCase_Reads(string written, FeatureType expected)
    {
        FeatureSetOptions options = FeatureSetLoader.Parse(Yaml.Replace("type: int64", "type: " + written, StringComparison.Ordinal), FeatureSetFormat.Yaml);

        Assert.AreEqual(expected, options.Features[0].Type);
    }

    [TestMethod]
    [DataRow("1")]
    [DataRow("int64, bool")]
    public void Parse_TypeNumberOrCombination_IsRejected(string written)
    {
        string[] errors = Errors(Json.Replace("\"int64\"", $"\"{written}\"", StringComparison.Ordinal), FeatureSetFormat.Json);

        StringAssert.StartsWith(errors[0], $"features[0].type is \"{written}\"; allowed: int64, float64");
    }

    [TestMethod]
    [DataRow("deleteColumn")]
    [DataRow("DELETECOLUMN")]
    public void Parse_NullsInAnyCase_Reads(string written)
    {
        Assert.AreEqual(NullHandling.DeleteColumn, FeatureSetLoader.Parse(Yaml + "\nnulls: " + written, FeatureSetFormat.Yaml).Nulls);
    }

    [TestMethod]
    public void Parse_EntityKeyList_ReadsCompositeKey()
    {
        string text = Json.Replace("\"entityKey\": \"id\"", "\"entityKey\": [\"tenant\", \"id\"]", StringComparison.Ordinal);

        CollectionAssert.AreEqual(new[] { "tenant", "id" }, FeatureSetLoader.Parse(text, FeatureSetFormat.Json).EntityKey);
    }

    [TestMethod]
    public void Parse_EntityKeyListWithDuplicate_ReportsItemPosition()
    {
        string[] errors = Errors(Yaml.Replace("entityKey: id", "entityKey:\n  - id\n  - id", StringComparison.Ordinal), FeatureSetFormat.Yaml);

        Assert.AreSequenceEqual(["entityKey[1] is \"id\"; allowed: a column not already in the key (entityKey[0]) (at line 4, column 5)"], errors);
    }

    [TestMethod]
    [DataRow("30d", 30 * 24 * 60)]
    [DataRow("12h", 12 * 60)]
    [DataRow("90m", 90)]
    [DataRow("\"7.00:00:00\"", 7 * 24 * 60)]
    public void Parse_MaxAgeDuration_Reads(string written, int minutes)
    {
        string text = Yaml.Replace("f: {}", "f: { maxAge: " + written + " }", StringComparison.Ordinal);

        Assert.AreEqual(TimeSpan.FromMinutes(minutes), FeatureSetLoader.Parse(text, FeatureSetFormat.Yaml).Families["f"].MaxAge);
    }

    [TestMethod]
    [DataRow("\"30 days\"", "\"30 days\"")]
    [DataRow("30", "30")]
    public void Parse_MaxAgeUnreadable_ReportsAllowedForms(string written, string shown)
    {
        string[] errors = Errors(Json.Replace("\"f\": {}", "\"f\": { \"maxAge\": " + written + " }", StringComparison.Ordinal), FeatureSetFormat.Json);

        StringAssert.StartsWith(errors[0], $"families.f.maxAge is {shown}; allowed: a duration such as 30d, 12h, 90m, 45s, 500ms or 7.00:00:00");
    }

    [TestMethod]
    public void Parse_FamilyWithNothingAfterIt_DeclaresFamilyWithoutLimits()
    {
        FeatureSetOptions options = FeatureSetLoader.Parse(Yaml.Replace("f: {}", "f:", StringComparison.Ordinal), FeatureSetFormat.Yaml);

        Assert.IsNull(options.Families["f"].MaxVersions);
        Assert.IsNull(options.Families["f"].MaxAge);
    }

    [TestMethod]
    [DataRow("nullable: yes", "features[0].nullable is \"yes\"; allowed: true or false")]
    [DataRow("nullable: True", null)]
    public void Parse_YamlBoolean_AcceptsTrueAndFalseOnly(string line, string? expected)
    {
        string text = Yaml + "\n    " + line;
        if (expected is null)
        {
            Assert.IsTrue(FeatureSetLoader.Parse(text, FeatureSetFormat.Yaml).Features[0].Nullable);
        }
        else
        {
            StringAssert.StartsWith(Errors(text, FeatureSetFormat.Yaml)[0], expected);
        }
    }

    [TestMethod]
    public void Parse_JsonCommentsAndTrailingCommas_AreAccepted()
    {
        string text = Json.Replace("\"table\": \"t\",", "// the table\n  \"table\": \"t\",", StringComparison.Ordinal)
            .Replace("\"int64\" }", "\"int64\", },", StringComparison.Ordinal);

        Assert.AreEqual("t", FeatureSetLoader.Parse(text, FeatureSetFormat.Json).Table);
    }

    [TestMethod]
    public void Parse_YamlAliases_ReuseAnchoredNode()
    {
        string text = Yaml.Replace("f: {}", "f: &limits { maxVersions: 2 }\n  g: *limits", StringComparison.Ordinal);

        Assert.AreEqual(2, FeatureSetLoader.Parse(text, FeatureSetFormat.Yaml).Families["g"].MaxVersions);
    }

    private static string[] Errors(string text, FeatureSetFormat format) =>
        [.. Assert.ThrowsExactly<FeatureSetException>(() => FeatureSetLoader.Parse(text, format)).Errors];
}
