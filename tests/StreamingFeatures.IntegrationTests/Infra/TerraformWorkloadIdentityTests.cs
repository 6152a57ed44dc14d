using YamlDotNet.RepresentationModel;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// Terraform and infra/k8s agree on identities: every Google service account a Kubernetes service account is annotated
/// with is one Terraform creates, and each streamingfeatures-WORKLOAD account is bound (Workload Identity) to the
/// Kubernetes service account of the same name in the namespace the manifests expect.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class TerraformWorkloadIdentityTests
{
    private const string Annotation = "iam.gke.io/gcp-service-account";

    [TestMethod]
    public void KubernetesServiceAccounts_AnnotatedGoogleAccount_CreatedAndBoundByTerraform()
    {
        TerraformConfiguration configuration = TerraformPolicyTests.Configuration.Value;
        string[] workloads = [.. configuration.Locals["workloads"].EnumerateObject().Select(w => w.Name)];
        TerraformBlock account = configuration.OfType("google_service_account").Single(a => a.Name == "workload");
        TerraformBlock binding = configuration.OfType("google_service_account_iam_member").Single(b => b.Name == "workload_identity");
        Assert.AreEqual("${local.workloads}", account.String("for_each"));
        Assert.AreEqual("${local.workloads}", binding.String("for_each"));
        Assert.AreEqual("streamingfeatures-${each.key}", account.String("account_id"));
        Assert.AreEqual("serviceAccount:${local.workload_identity_project}.svc.id.goog[${var.kubernetes_namespace}/streamingfeatures-${each.key}]", binding.String("member"));
        Assert.AreEqual("streamingfeatures", configuration.Variables.Single(v => v.Name == "kubernetes_namespace").Body.GetProperty("default").GetString());
        CollectionAssert.AreEquivalent(new[] { "migrate", "ingest", "serve" }, workloads);

        var created = workloads.Select(w => $"streamingfeatures-{w}")
            .Concat(configuration.OfType("google_service_account").Select(a => a.String("account_id")!).Where(id => !id.Contains("${", StringComparison.Ordinal)))
            .ToHashSet(StringComparer.Ordinal);
        List<(string Name, string Google)> annotated = AnnotatedServiceAccounts(Path.Combine(TerraformConfiguration.RepositoryRoot(), "infra", "k8s"));
        Assert.IsGreaterThanOrEqualTo(3, annotated.Count, "the migrate, ingest and serve service accounts of infra/k8s");

        foreach ((string name, string google) in annotated)
        {
            string id = google.Split('@')[0];
            Assert.Contains(id, created, $"Kubernetes service account {name} acts as {google}, which infra/terraform does not create.");
            Assert.EndsWith("@PROJECT_ID.iam.gserviceaccount.com", google, name);
            if (name.StartsWith("streamingfeatures-", StringComparison.Ordinal))
            {
                Assert.AreEqual(name, id, $"Workload Identity binds {id} to the Kubernetes service account of the same name only.");
            }
        }
    }

    private static List<(string Name, string Google)> AnnotatedServiceAccounts(string folder)
    {
        var accounts = new List<(string, string)>();
        foreach (string file in Directory.EnumerateFiles(folder, "*.y*ml"))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            foreach (YamlDocument document in stream.Documents)
            {
                if (document.RootNode is YamlMappingNode root && root.Children.TryGetValue("kind", out YamlNode? kind) && kind.ToString() == "ServiceAccount"
                    && root["metadata"] is YamlMappingNode metadata && metadata.Children.TryGetValue("annotations", out YamlNode? annotations)
                    && ((YamlMappingNode)annotations).Children.TryGetValue(Annotation, out YamlNode? google))
                {
                    accounts.Add((metadata["name"].ToString(), google.ToString()));
                }
            }
        }

        return accounts;
    }
}
