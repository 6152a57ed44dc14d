using YamlDotNet.RepresentationModel;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// The objects that scale or protect a workload: HorizontalPodAutoscalers (resource and external metrics, scale-down
/// stabilisation), KEDA ScaledObjects with their TriggerAuthentications, and PodDisruptionBudgets. An autoscaler whose
/// metric selects another subscription, or a trigger whose authentication is not there, is accepted by the API server
/// and only fails, quietly, when it is needed.
/// </summary>
internal sealed partial class KubernetesManifests
{
    public Dictionary<string, ManifestAutoscaler> Autoscalers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ManifestScaledObject> ScaledObjects { get; } = new(StringComparer.Ordinal);

    /// <summary>KEDA TriggerAuthentications by name, with their <c>podIdentity.provider</c> (null when they use secrets).</summary>
    public Dictionary<string, string?> TriggerAuthentications { get; } = new(StringComparer.Ordinal);

    /// <summary>PodDisruptionBudgets by name, with their selectors' matchLabels.</summary>
    public Dictionary<string, Dictionary<string, string>> DisruptionBudgets { get; } = new(StringComparer.Ordinal);

    /// <summary>PodDisruptionBudgets by name: <c>minAvailable</c> and <c>maxUnavailable</c> as written (a number or a percentage).</summary>
    public Dictionary<string, (string? MinAvailable, string? MaxUnavailable)> DisruptionLimits { get; } = new(StringComparer.Ordinal);

    private void AddScaling(string file, string kind, string name, YamlMappingNode root)
    {
        YamlMappingNode? spec = Map(root, "spec");
        switch (kind)
        {
            case "HorizontalPodAutoscaler":
                YamlMappingNode? target = Map(spec, "scaleTargetRef");
                YamlMappingNode[] metrics = [.. Seq(spec, "metrics").OfType<YamlMappingNode>()];
                Autoscalers[name] = new ManifestAutoscaler(
                    name,
                    file,
                    Text(target, "apiVersion"),
                    Text(target, "kind"),
                    Text(target, "name"),
                    Number(Text(spec, "minReplicas")),
                    Number(Text(spec, "maxReplicas")),
                    [.. metrics.Select(m => Text(Map(m, "resource"), "name")).OfType<string>()],
                    [.. metrics.Select(m => Map(m, "external")).OfType<YamlMappingNode>().Select(External)],
                    ScaleDownWindow(Map(spec, "behavior")));
                break;
            case "ScaledObject":
                YamlMappingNode? scaled = Map(spec, "scaleTargetRef");
                ScaledObjects[name] = new ManifestScaledObject(
                    name,
                    file,
                    Text(scaled, "apiVersion"),
                    Text(scaled, "kind") ?? "Deployment",
                    Text(scaled, "name"),
                    Number(Text(spec, "minReplicaCount")),
                    Number(Text(spec, "maxReplicaCount")),
                    ScaleDownWindow(Map(Map(Map(spec, "advanced"), "horizontalPodAutoscalerConfig"), "behavior")),
                    [.. Seq(spec, "triggers").OfType<YamlMappingNode>().Select(t => new ManifestTrigger(
                        Text(t, "type") ?? string.Empty,
                        Text(Map(t, "authenticationRef"), "name"),
                        Text(Map(t, "authenticationRef"), "kind") ?? "TriggerAuthentication",
                        Labels(Map(t, "metadata"))))]);
                break;
            case "TriggerAuthentication":
                TriggerAuthentications[name] = Text(Map(spec, "podIdentity"), "provider");
                break;
            case "PodDisruptionBudget":
                DisruptionBudgets[name] = Labels(Map(Map(spec, "selector"), "matchLabels"));
                DisruptionLimits[name] = (Text(spec, "minAvailable"), Text(spec, "maxUnavailable"));
                break;
        }
    }

    private static ManifestExternalMetric External(YamlMappingNode external)
    {
        YamlMappingNode? metric = Map(external, "metric");
        YamlMappingNode? target = Map(external, "target");
        return new ManifestExternalMetric(
            Text(metric, "name") ?? string.Empty,
            Labels(Map(Map(metric, "selector"), "matchLabels")),
            Text(target, "type"),
            Text(target, "averageValue") ?? Text(target, "value"));
    }

    private static int? ScaleDownWindow(YamlMappingNode? behavior) => Number(Text(Map(behavior, "scaleDown"), "stabilizationWindowSeconds"));
}

/// <summary>
/// A HorizontalPodAutoscaler: its file, target, replica bounds, the resource names (cpu, memory) of its Resource
/// metrics, its External metrics and its scale-down stabilisation window, if set.
/// </summary>
internal sealed record ManifestAutoscaler(
    string Name,
    string File,
    string? TargetApiVersion,
    string? TargetKind,
    string? TargetName,
    int? MinReplicas,
    int? MaxReplicas,
    IReadOnlyList<string> ResourceMetrics,
    IReadOnlyList<ManifestExternalMetric> ExternalMetrics,
    int? ScaleDownStabilizationSeconds);

/// <summary>An External metric of an autoscaler: its name, selector labels and target (type and value as written).</summary>
internal sealed record ManifestExternalMetric(string Name, Dictionary<string, string> Selector, string? TargetType, string? TargetValue);

/// <summary>A KEDA ScaledObject: its file, target (kind Deployment unless named), replica bounds, scale-down window and triggers.</summary>
internal sealed record ManifestScaledObject(
    string Name,
    string File,
    string? TargetApiVersion,
    string TargetKind,
    string? TargetName,
    int? MinReplicas,
    int? MaxReplicas,
    int? ScaleDownStabilizationSeconds,
    IReadOnlyList<ManifestTrigger> Triggers);

/// <summary>A ScaledObject trigger: its type, the (Cluster)TriggerAuthentication it names and its metadata.</summary>
internal sealed record ManifestTrigger(string Type, string? AuthenticationRef, string AuthenticationKind, Dictionary<string, string> Metadata);
