using System.Globalization;
using System.Text.Json;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// The ingest Deployment's two alternative autoscalers, ingest-hpa.yaml (HorizontalPodAutoscaler on the Custom Metrics
/// Stackdriver Adapter's external metric) and ingest-keda.yaml (KEDA ScaledObject): each targets the ingest Deployment,
/// watches the backlog of the subscription the ConfigMap's ingest.json pulls, keeps enough replicas for the disruption
/// budget, and scales down slowly; the two agree, and live in separate files since only one may be applied.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class KubernetesManifestIngestScalingTests
{
    private const string Name = "streamingfeatures-ingest";
    private const string BacklogMetric = "pubsub.googleapis.com|subscription|num_undelivered_messages";

    private static readonly KubernetesManifests Manifests = KubernetesManifests.Load(KubernetesManifests.RepositoryFolder());

    private static ManifestAutoscaler Hpa => Manifests.Autoscalers[Name];

    private static ManifestScaledObject Keda => Manifests.ScaledObjects[Name];

    private static ManifestExternalMetric Backlog => Hpa.ExternalMetrics.Single(m => m.Name == BacklogMetric);

    private static ManifestTrigger PubSubTrigger => Keda.Triggers.Single(t => t.Type == "gcp-pubsub");

    /// <summary>The ConfigMap's ingest.json, as the service reads it.</summary>
    private static JsonElement Settings => JsonDocument.Parse(Manifests.ConfigMaps[Name]["ingest.json"]).RootElement;

    /// <summary><c>projects/P/subscriptions/S</c> of the ConfigMap.</summary>
    private static string Subscription => Settings.GetProperty("Subscription").GetString()!;

    [TestMethod]
    public void IngestAutoscalers_ScaleTarget_IsTheIngestDeployment()
    {
        Assert.AreEqual(("apps/v1", "Deployment", Name), (Hpa.TargetApiVersion, Hpa.TargetKind, Hpa.TargetName));
        Assert.AreEqual(("apps/v1", "Deployment", Name), (Keda.TargetApiVersion, Keda.TargetKind, Keda.TargetName));
        Assert.IsTrue(Manifests.Workloads.ContainsKey("Deployment/" + Name), "the target is a Deployment of infra/k8s");
    }

    [TestMethod]
    public void IngestAutoscaler_ExternalMetric_IsTheBacklogOfTheConfigMapsSubscription()
    {
        string subscriptionId = Subscription.Split('/')[^1];

        Assert.AreEqual(subscriptionId, Backlog.Selector["resource.labels.subscription_id"], "the autoscaler watches the subscription ingest pulls");
        Assert.HasCount(1, Backlog.Selector, "only the subscription narrows the metric");
        Assert.AreEqual("AverageValue", Backlog.TargetType, "backlog per pod, so the replica count follows the backlog");
        Assert.AreEqual("projects/example-project/subscriptions/feature-events-ingest", Subscription, "the common subscription name in PROJECT_ID");
    }

    [TestMethod]
    public void IngestAutoscalers_BacklogTarget_IsAboveWhatOnePodHoldsLeased()
    {
        double maxOutstanding = Settings.GetProperty("MaxOutstandingMessages").GetInt64();

        // A pod keeping up holds up to MaxOutstandingMessages leased and unacked, which the metric counts: a target
        // below that would scale a healthy Deployment up on its own leases.
        Assert.IsGreaterThan(maxOutstanding, Quantity(Backlog.TargetValue), "HPA averageValue");
        Assert.IsGreaterThan(maxOutstanding, Quantity(PubSubTrigger.Metadata["value"]), "KEDA value");
    }

    [TestMethod]
    public void IngestAutoscalers_Replicas_AtLeastTwoAndNoMoreThanTheMaximum()
    {
        foreach ((string which, int? min, int? max) in new[] { ("HPA", Hpa.MinReplicas, Hpa.MaxReplicas), ("KEDA", Keda.MinReplicas, Keda.MaxReplicas) })
        {
            Assert.IsGreaterThanOrEqualTo(2, min ?? 1, $"{which}: two replicas at least, so one pulls while another drains");
            Assert.IsGreaterThanOrEqualTo(min ?? 1, max ?? 0, $"{which}: min <= max");
        }
    }

    [TestMethod]
    public void IngestDisruptionBudget_MinAvailable_BelowTheAutoscalersMinimum()
    {
        (string? minAvailable, string? maxUnavailable) = Manifests.DisruptionLimits[Name];
        Assert.IsNull(maxUnavailable, "the budget is written as minAvailable");
        int budget = int.Parse(minAvailable!, CultureInfo.InvariantCulture);

        // Equal would forbid every voluntary eviction at the minimum: node drains and upgrades would stall.
        Assert.IsLessThan(Hpa.MinReplicas!.Value, budget);
        Assert.IsLessThan(Keda.MinReplicas!.Value, budget);
        Assert.IsGreaterThanOrEqualTo(1, budget, "one pod keeps pulling through a drain");
        Assert.IsTrue(Manifests.Workloads["Deployment/" + Name].Matches(Manifests.DisruptionBudgets[Name]), "the budget selects the ingest pods");
    }

    [TestMethod]
    public void IngestAutoscalers_ScaleDown_IsStabilisedAgainstAnAckBurst()
    {
        // Cloud Monitoring samples the backlog once a minute: a window of several samples keeps one low reading
        // (the added pods' burst of acks) from taking them away again.
        Assert.IsGreaterThanOrEqualTo(300, Hpa.ScaleDownStabilizationSeconds ?? 0, "HPA behavior.scaleDown.stabilizationWindowSeconds");
        Assert.IsGreaterThanOrEqualTo(300, Keda.ScaleDownStabilizationSeconds ?? 0, "KEDA advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds");
    }

    [TestMethod]
    public void IngestScaledObject_Trigger_WatchesTheConfigMapsSubscriptionWithCurrentMetadata()
    {
        Assert.HasCount(1, Keda.Triggers, "one trigger: KEDA scales on the highest of several");
        Assert.AreEqual(Subscription, PubSubTrigger.Metadata["subscriptionName"]);
        Assert.AreEqual("SubscriptionSize", PubSubTrigger.Metadata["mode"], "num_undelivered_messages");
        foreach (string deprecated in new[] { "subscriptionSize", "credentialsFromEnv", "credentialsFromEnvFile" })
        {
            Assert.IsFalse(PubSubTrigger.Metadata.ContainsKey(deprecated), $"{deprecated}: deprecated, or a key file in the pods");
        }
    }

    [TestMethod]
    public void IngestScaledObject_AuthenticationRef_IsATriggerAuthenticationWithGcpIdentity()
    {
        Assert.AreEqual("TriggerAuthentication", PubSubTrigger.AuthenticationKind);
        Assert.IsNotNull(PubSubTrigger.AuthenticationRef, "the trigger names its authentication");
        Assert.IsTrue(Manifests.TriggerAuthentications.TryGetValue(PubSubTrigger.AuthenticationRef, out string? provider), $"TriggerAuthentication {PubSubTrigger.AuthenticationRef} is in infra/k8s");
        Assert.AreEqual("gcp", provider, "Workload Identity of the KEDA operator: no key file");
    }

    [TestMethod]
    public void IngestAutoscalers_HpaAndKeda_AreAlternativesInSeparateFilesThatAgree()
    {
        Assert.AreNotEqual(Hpa.File, Keda.File, "one file each, so one can be applied without the other");
        Assert.IsFalse(Manifests.Objects.Any(o => o.File == Hpa.File && o.Kind == "ScaledObject"), "no ScaledObject beside the HPA");
        Assert.IsFalse(Manifests.Objects.Any(o => o.File == Keda.File && o.Kind == "HorizontalPodAutoscaler"), "KEDA makes its own HPA");
        foreach (string file in new[] { Hpa.File, Keda.File })
        {
            StringAssert.Contains(File.ReadAllText(Path.Combine(KubernetesManifests.RepositoryFolder(), file)), "never both", $"{file}'s header says to apply only one");
        }

        Assert.AreEqual((Hpa.MinReplicas, Hpa.MaxReplicas, Quantity(Backlog.TargetValue)), (Keda.MinReplicas, Keda.MaxReplicas, Quantity(PubSubTrigger.Metadata["value"])));
    }

    /// <summary>A plain number or a Kubernetes quantity with a decimal suffix (30k).</summary>
    private static double Quantity(string? text) => text is null ? 0
        : text.EndsWith('k') ? double.Parse(text[..^1], CultureInfo.InvariantCulture) * 1000
        : double.Parse(text, CultureInfo.InvariantCulture);
}
