using System.Text.Json;
using StreamingFeatures.FeatureSets;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// The ingest Deployment of ingest-deployment.yaml: its replica count is the autoscaler's, a pod has time to drain
/// before it is killed, it runs unprivileged on a read-only root file system, and its memory is bounded. Its
/// container's args and ConfigMap go through <c>ingest --dry-run</c> with the others in
/// <see cref="KubernetesManifestTests"/>; the autoscalers are in <see cref="KubernetesManifestIngestScalingTests"/>.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class KubernetesManifestIngestTests
{
    private const string Name = "streamingfeatures-ingest";

    private static readonly KubernetesManifests Manifests = KubernetesManifests.Load(KubernetesManifests.RepositoryFolder());

    private static ManifestPod Pod => Manifests.Pods["Deployment/" + Name];

    private static ManifestContainerSecurity Container => Pod.Containers.Single();

    private static JsonElement Settings => JsonDocument.Parse(Manifests.ConfigMaps[Name]["ingest.json"]).RootElement;

    [TestMethod]
    public void IngestDeployment_Replicas_LeftToTheAutoscaler()
    {
        Assert.IsNull(Pod.Replicas, "spec.replicas would reset the autoscaler's count on every kubectl apply");
    }

    [TestMethod]
    public void IngestDeployment_GracePeriod_ExceedsShutdownTimeoutAndPreStop()
    {
        ManifestWorkload ingest = Manifests.Workloads["Deployment/" + Name];
        Assert.IsTrue(DurationText.TryParse(Settings.GetProperty("ShutdownTimeout").GetString(), out TimeSpan shutdown), "ShutdownTimeout of ingest.json");

        TimeSpan needed = shutdown + TimeSpan.FromSeconds(ingest.PreStopSleepSeconds ?? 0);

        Assert.IsGreaterThan(needed.TotalSeconds, ingest.TerminationGracePeriodSeconds ?? 30, $"terminationGracePeriodSeconds must exceed ShutdownTimeout plus the preStop pause ({needed.TotalSeconds} s), or the drain is killed");
    }

    [TestMethod]
    public void IngestDeployment_SecurityContext_NonRootReadOnlyNoCapabilities()
    {
        Assert.AreEqual("true", Pod.RunAsNonRoot ?? Container.RunAsNonRoot, "runAsNonRoot");
        Assert.AreEqual("RuntimeDefault", Pod.SeccompProfile, "seccompProfile");
        Assert.AreEqual("true", Container.ReadOnlyRootFilesystem, "readOnlyRootFilesystem");
        Assert.AreEqual("false", Container.AllowPrivilegeEscalation, "allowPrivilegeEscalation");
        CollectionAssert.AreEqual(new[] { "ALL" }, Container.DroppedCapabilities.ToArray(), "capabilities.drop");
    }

    [TestMethod]
    public void IngestDeployment_Memory_RequestedAndLimitedWithHeadroom()
    {
        long request = Bytes(Container.Requests["memory"]);
        long limit = Bytes(Container.Limits["memory"]);

        Assert.IsTrue(Container.Requests.ContainsKey("cpu"), "a CPU request, so the scheduler places pods by it");
        Assert.IsLessThanOrEqualTo(limit, request, "request <= limit");
        // The flow-control bound is bytes of messages held; the limit must hold them with the process around them.
        Assert.IsGreaterThan(Settings.GetProperty("MaxOutstandingBytes").GetInt64(), limit, "the memory limit holds MaxOutstandingBytes of leased messages");
    }

    [TestMethod]
    public void IngestConfigMap_Names_AreTheCommonDeploymentNames()
    {
        Assert.AreEqual("projects/example-project/subscriptions/feature-events-ingest", Settings.GetProperty("Subscription").GetString());
        Assert.AreEqual("projects/example-project/topics/feature-events-dead-letter", Settings.GetProperty("DeadLetterTopic").GetString());
    }

    /// <summary>A Kubernetes memory quantity (512Mi, 1Gi, 500M or bytes) in bytes.</summary>
    private static long Bytes(string quantity)
    {
        (string suffix, long factor)[] units = [("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("k", 1000), ("M", 1_000_000), ("G", 1_000_000_000)];
        foreach ((string suffix, long factor) in units)
        {
            if (quantity.EndsWith(suffix, StringComparison.Ordinal))
            {
                return long.Parse(quantity[..^suffix.Length], System.Globalization.CultureInfo.InvariantCulture) * factor;
            }
        }

        return long.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture);
    }
}
