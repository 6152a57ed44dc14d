using System.Text.Json;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// Policies over every .tf file of infra/terraform, parsed offline (the provider registry cannot be reached here, so
/// `terraform validate` cannot run): no primitive role anywhere, deletion protection on every Bigtable instance and
/// table, a dead-letter policy on every subscription that is not itself a dead-letter topic's, and the ingest
/// subscription agreeing with ingest's defaults.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TerraformPolicyTests
{
    private static readonly string[] s_primitiveRoles = ["roles/owner", "roles/editor", "roles/viewer"];

    internal static readonly Lazy<TerraformConfiguration> Configuration = new(() => TerraformConfiguration.Load(TerraformConfiguration.Folder()));

    [TestMethod]
    public void IamResources_Roles_NoPrimitiveRole()
    {
        TerraformBlock[] iam = [.. Configuration.Value.Resources.Concat(Configuration.Value.DataSources).Where(r => r.Type.Contains("_iam_", StringComparison.Ordinal))];
        Assert.IsGreaterThanOrEqualTo(10, iam.Length, "the module's IAM grants were not found");

        foreach (TerraformBlock grant in iam)
        {
            IEnumerable<string?> roles = [grant.String("role"), .. grant.Blocks("binding").Select(b => b.TryGetProperty("role", out JsonElement r) ? r.GetString() : null)];
            foreach (string? role in roles.Where(r => r is not null))
            {
                Assert.DoesNotContain(role!.Trim(), s_primitiveRoles, $"{grant} grants the primitive role {role}; grant a predefined role on the narrowest resource.");
                Assert.DoesNotContain("${", role, $"{grant}: role {role} is computed, so it cannot be checked; write it literally.");
            }
        }
    }

    [TestMethod]
    public void BigtableInstancesAndTables_DeletionProtection_On()
    {
        TerraformBlock[] instances = [.. Configuration.Value.OfType("google_bigtable_instance")];
        TerraformBlock[] tables = [.. Configuration.Value.OfType("google_bigtable_table")];
        Assert.HasCount(1, instances);
        Assert.IsGreaterThanOrEqualTo(2, tables.Length, "the checkpoint table and the example's feature table");

        foreach (TerraformBlock instance in instances)
        {
            Assert.IsTrue(instance.Body.TryGetProperty("deletion_protection", out JsonElement on) && on.ValueKind == JsonValueKind.True, $"{instance}: deletion_protection must be true.");
        }

        foreach (TerraformBlock table in tables)
        {
            Assert.AreEqual("PROTECTED", table.String("deletion_protection"), $"{table}: deletion_protection must be \"PROTECTED\".");
        }
    }

    /// <summary>
    /// A subscription to a topic that some subscription dead-letters into is exempt: it holds dead letters for
    /// inspection and replay, nothing consumes it automatically, and a dead letter of a dead letter would hide it.
    /// </summary>
    [TestMethod]
    public void Subscriptions_DeadLetterPolicy_OnEveryOneButADeadLetterTopicsOwn()
    {
        TerraformBlock[] subscriptions = [.. Configuration.Value.OfType("google_pubsub_subscription")];
        var deadLetterTopics = subscriptions.SelectMany(s => s.Blocks("dead_letter_policy")).Select(p => p.GetProperty("dead_letter_topic").GetString()).ToHashSet(StringComparer.Ordinal);
        Assert.IsNotEmpty(deadLetterTopics, "no subscription has a dead-letter policy");

        TerraformBlock[] exempt = [.. subscriptions.Where(s => deadLetterTopics.Contains(s.String("topic")))];
        Assert.HasCount(1, exempt, "the dead-letter topic's own subscription");
        foreach (TerraformBlock subscription in subscriptions.Except(exempt))
        {
            JsonElement[] policies = [.. subscription.Blocks("dead_letter_policy")];
            Assert.HasCount(1, policies, $"{subscription} has no dead_letter_policy: a message that always fails would be redelivered forever.");
            Assert.IsTrue(policies[0].TryGetProperty("max_delivery_attempts", out _), $"{subscription}: dead_letter_policy sets no max_delivery_attempts.");
        }
    }

    [TestMethod]
    public void IngestSubscription_Settings_AgreeWithIngestsDefaults()
    {
        TerraformBlock ingest = Configuration.Value.OfType("google_pubsub_subscription").Single(s => s.Name == "ingest");
        TerraformBlock deadline = Configuration.Value.Variables.Single(v => v.Name == "ack_deadline_seconds");

        Assert.AreEqual("${var.ack_deadline_seconds}", ingest.String("ack_deadline_seconds"));
        Assert.AreEqual(PubSubSourceLimits.AckDeadline.Default.TotalSeconds, deadline.Body.GetProperty("default").GetDouble(), "ingest's default AckDeadline (PubSubSourceLimits.AckDeadline)");
        Assert.AreEqual(JsonValueKind.True, ingest.Body.GetProperty("enable_exactly_once_delivery").ValueKind);
        Assert.HasCount(1, ingest.Blocks("retry_policy"));
    }
}
