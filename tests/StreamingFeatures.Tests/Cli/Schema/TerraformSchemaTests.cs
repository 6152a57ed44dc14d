using Google.Cloud.Bigtable.Admin.V2;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Schema;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.Tests.Cli.Schema;

[TestClass]
public sealed class TerraformSchemaTests
{
    [TestMethod]
    [DataRow(7 * 24 * 3_600_000L, "168h")]
    [DataRow(90 * 60_000L, "1h30m")]
    [DataRow(1_500L, "1s500ms")]
    [DataRow(0L, "0s")]
    public void GoDuration_Milliseconds_AsGoParsesThem(long milliseconds, string expected) =>
        Assert.AreEqual(expected, TerraformSchema.GoDuration(TimeSpan.FromMilliseconds(milliseconds)));

    [TestMethod]
    public void Render_FamiliesWithAndWithoutRules_ATableWithEveryFamilyAndAPolicyPerRule()
    {
        Table table = TableProvisioner.TableOf(new FeatureSetOptions
        {
            Table = "user.features",
            Families = new()
            {
                ["f"] = new ColumnFamilyOptions { MaxVersions = 1, MaxAge = TimeSpan.FromDays(7) },
                ["h"] = new ColumnFamilyOptions { MaxAge = TimeSpan.FromMinutes(90) },
                ["k"] = new ColumnFamilyOptions(),
            },
        });

        string hcl = TerraformSchema.Render("user.features", table, "streamingfeatures schema");

        StringAssert.Contains(hcl, "resource \"google_bigtable_table\" \"user_features\" {");
        StringAssert.Contains(hcl, "deletion_protection = \"PROTECTED\"");
        foreach (string family in new[] { "f", "h", "k" })
        {
            StringAssert.Contains(hcl, $"column_family {{\n    family = \"{family}\"\n  }}");
        }

        StringAssert.Contains(hcl, "gc_rules        = jsonencode({ mode = \"union\", rules = [{ max_version = 1 }, { max_age = \"168h\" }] })");
        StringAssert.Contains(hcl, "gc_rules        = jsonencode({ rules = [{ max_age = \"1h30m\" }] })");
        Assert.DoesNotContain("user_features_k\"", hcl, "a family kept forever has no GC policy");
    }

    [TestMethod]
    public void Render_FamiliesWithTheSameIdentifier_DistinctPolicyResources()
    {
        Table table = TableProvisioner.TableOf(new FeatureSetOptions
        {
            Table = "t",
            Families = new() { ["a.b"] = new ColumnFamilyOptions { MaxVersions = 1 }, ["a_b"] = new ColumnFamilyOptions { MaxVersions = 2 } },
        });

        string hcl = TerraformSchema.Render("t", table, "streamingfeatures schema");

        StringAssert.Contains(hcl, "resource \"google_bigtable_gc_policy\" \"t_a_b\" {");
        StringAssert.Contains(hcl, "resource \"google_bigtable_gc_policy\" \"t_a_b_2\" {");
    }

    [TestMethod]
    [DataRow("features", "features")]
    [DataRow("9lives", "_9lives")]
    [DataRow("a.b-c", "a_b-c")]
    public void Identifier_TableId_AValidTerraformName(string name, string expected) =>
        Assert.AreEqual(expected, TerraformSchema.Identifier(name));
}
