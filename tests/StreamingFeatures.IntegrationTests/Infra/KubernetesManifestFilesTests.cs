using System.Reflection;
using k8s;
using YamlDotNet.RepresentationModel;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// Every file of infra/k8s is checked by some test: a new manifest must be listed in <see cref="CheckedBy"/> with the
/// test classes that read it, and hold only kinds the model reads, or this fails. Every object of a built-in kind reads
/// strictly into the Kubernetes API's own model (a misspelt or misplaced field fails), and every pod runs as a
/// ServiceAccount of the manifests bound (Workload Identity) to the Google service account of the same name.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class KubernetesManifestFilesTests
{
    /// <summary>Which test classes check each file; <see cref="KubernetesManifestTests"/> dry-runs every container.</summary>
    private static readonly Dictionary<string, Type[]> CheckedBy = new(StringComparer.Ordinal)
    {
        ["ingest-deployment.yaml"] = [typeof(KubernetesManifestTests), typeof(KubernetesManifestIngestTests), typeof(KubernetesManifestIngestScalingTests)],
        ["ingest-hpa.yaml"] = [typeof(KubernetesManifestIngestScalingTests)],
        ["ingest-keda.yaml"] = [typeof(KubernetesManifestIngestScalingTests)],
        ["migrate-indexed-job.yaml"] = [typeof(KubernetesManifestTests)],
        ["serve-deployment.yaml"] = [typeof(KubernetesManifestTests), typeof(KubernetesManifestServeTests)],
    };

    private static readonly KubernetesManifests Manifests = KubernetesManifests.Load(KubernetesManifests.RepositoryFolder());

    [TestMethod]
    public void Manifests_EveryFile_IsCheckedByATest()
    {
        string[] files = [.. Directory.EnumerateFiles(KubernetesManifests.RepositoryFolder(), "*.y*ml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

        string[] unread = [.. files.Where(f => !CheckedBy.ContainsKey(f))];
        string[] gone = [.. CheckedBy.Keys.Where(f => !files.Contains(f))];

        Assert.IsEmpty(unread, $"no test reads {string.Join(", ", unread)}: add tests for it and list it in {nameof(KubernetesManifestFilesTests)}.{nameof(CheckedBy)}");
        Assert.IsEmpty(gone, $"listed but not in infra/k8s: {string.Join(", ", gone)}");
    }

    [TestMethod]
    public void Manifests_EveryFile_HoldsOnlyObjectsTheTestsRead()
    {
        Assert.IsEmpty(Manifests.Unmodelled, $"kinds the manifest tests do not read: {string.Join("; ", Manifests.Unmodelled)}");
        foreach (string file in CheckedBy.Keys)
        {
            Assert.IsTrue(Manifests.Objects.Any(o => o.File == file), $"{file} holds no object");
        }
    }

    [TestMethod]
    public void Manifests_CheckingClasses_AreTestClassesWithTests()
    {
        foreach (Type type in CheckedBy.Values.SelectMany(t => t).Distinct())
        {
            Assert.IsNotNull(type.GetCustomAttribute<TestClassAttribute>(), $"{type.Name} is a test class");
            Assert.IsTrue(type.GetMethods().Any(m => m.GetCustomAttribute<TestMethodAttribute>() is not null), $"{type.Name} has tests");
        }
    }

    [TestMethod]
    public void Manifests_EveryBuiltInObject_FitsTheKubernetesSchema()
    {
        int read = 0;
        foreach (string file in Directory.EnumerateFiles(KubernetesManifests.RepositoryFolder(), "*.y*ml"))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            foreach (YamlDocument document in stream.Documents)
            {
                var root = (YamlMappingNode)document.RootNode;
                // KEDA's kinds are custom resources the client has no model for; the ingest scaling tests read them.
                if (((YamlScalarNode)root.Children[new YamlScalarNode("apiVersion")]).Value!.StartsWith("keda.sh/", StringComparison.Ordinal))
                {
                    continue;
                }

                using var text = new StringWriter();
                new YamlStream(document).Save(text, assignAnchors: false);
                try
                {
                    read += KubernetesYaml.LoadAllFromString(text.ToString(), strict: true).Count;
                }
                catch (YamlDotNet.Core.YamlException e)
                {
                    Assert.Fail($"{Path.GetFileName(file)}: {e.Message}");
                }
            }
        }

        Assert.AreEqual(Manifests.Objects.Count(o => o.Kind is not ("ScaledObject" or "TriggerAuthentication")), read, "every built-in object was read");
    }

    [TestMethod]
    public void Manifests_EveryPod_RunsAsItsOwnWorkloadIdentity()
    {
        foreach ((string workload, ManifestPod pod) in Manifests.Pods)
        {
            string? account = pod.ServiceAccountName;

            Assert.IsNotNull(account, $"{workload}: a serviceAccountName, not the namespace's default account");
            Assert.IsTrue(Manifests.ServiceAccounts.TryGetValue(account, out string? google), $"{workload}: ServiceAccount {account} is in infra/k8s");
            Assert.AreEqual($"{account}@example-project.iam.gserviceaccount.com", google, $"{workload}: the Google service account of the same name (infra/terraform)");
        }
    }
}
