using YamlDotNet.RepresentationModel;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// What each file holds, and how each workload's pods run: identity, privileges and resources. The model reads the
/// kinds in <see cref="ModelledKinds"/>; an object of another kind is listed in <see cref="Unmodelled"/>, so a file
/// holding one fails the coverage test instead of going unchecked.
/// </summary>
internal sealed partial class KubernetesManifests
{
    /// <summary>The kinds the manifest tests read; extend the model (and this list) before adding another.</summary>
    public static readonly string[] ModelledKinds =
    [
        "ServiceAccount", "ConfigMap", "Service", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod",
        "HorizontalPodAutoscaler", "PodDisruptionBudget", "ScaledObject", "TriggerAuthentication",
    ];

    /// <summary>Every object read, as (file name, kind, name).</summary>
    public List<(string File, string Kind, string Name)> Objects { get; } = [];

    /// <summary>Objects of a kind no test reads, as <c>file: Kind/name</c>.</summary>
    public List<string> Unmodelled { get; } = [];

    /// <summary>ServiceAccounts by name, with their Workload Identity annotation (<c>iam.gke.io/gcp-service-account</c>).</summary>
    public Dictionary<string, string?> ServiceAccounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Every workload's pod, by <c>Kind/name</c>.</summary>
    public Dictionary<string, ManifestPod> Pods { get; } = new(StringComparer.Ordinal);

    private void AddPods(string file, string kind, string name, YamlMappingNode root)
    {
        Objects.Add((file, kind, name));
        if (!ModelledKinds.Contains(kind, StringComparer.Ordinal))
        {
            Unmodelled.Add($"{file}: {kind}/{name}");
        }

        YamlMappingNode? spec = Map(root, "spec");
        if (kind == "ServiceAccount")
        {
            ServiceAccounts[name] = Text(Map(Map(root, "metadata"), "annotations"), "iam.gke.io/gcp-service-account");
        }
        else if (s_workloadKinds.Contains(kind))
        {
            YamlMappingNode? pod = kind switch
            {
                "Pod" => spec,
                "CronJob" => Map(Map(Map(Map(spec, "jobTemplate"), "spec"), "template"), "spec"),
                _ => Map(Map(spec, "template"), "spec"),
            };
            YamlMappingNode? security = Map(pod, "securityContext");
            Pods[$"{kind}/{name}"] = new ManifestPod(
                file,
                Text(spec, "replicas"),
                Text(pod, "serviceAccountName"),
                Text(pod, "automountServiceAccountToken"),
                Text(security, "runAsNonRoot"),
                Text(Map(security, "seccompProfile"), "type"),
                [.. Seq(pod, "initContainers").Concat(Seq(pod, "containers")).OfType<YamlMappingNode>().Select(ContainerSecurity)]);
        }
    }

    private static ManifestContainerSecurity ContainerSecurity(YamlMappingNode container)
    {
        YamlMappingNode? security = Map(container, "securityContext");
        YamlMappingNode? resources = Map(container, "resources");
        return new ManifestContainerSecurity(
            Text(container, "name") ?? string.Empty,
            Text(security, "runAsNonRoot"),
            Text(security, "readOnlyRootFilesystem"),
            Text(security, "allowPrivilegeEscalation"),
            [.. Seq(Map(security, "capabilities"), "drop").Select(n => ((YamlScalarNode)n).Value ?? string.Empty)],
            Labels(Map(resources, "requests")),
            Labels(Map(resources, "limits")));
    }
}

/// <summary>
/// A workload's pod as written: <c>spec.replicas</c> of the workload (null when left to an autoscaler), the pod's
/// service account, token automount, <c>runAsNonRoot</c> and seccomp profile type, and its containers.
/// </summary>
internal sealed record ManifestPod(
    string File,
    string? Replicas,
    string? ServiceAccountName,
    string? AutomountServiceAccountToken,
    string? RunAsNonRoot,
    string? SeccompProfile,
    IReadOnlyList<ManifestContainerSecurity> Containers);

/// <summary>A container's securityContext (values as written) and its resource requests and limits by resource name.</summary>
internal sealed record ManifestContainerSecurity(
    string Name,
    string? RunAsNonRoot,
    string? ReadOnlyRootFilesystem,
    string? AllowPrivilegeEscalation,
    IReadOnlyList<string> DroppedCapabilities,
    Dictionary<string, string> Requests,
    Dictionary<string, string> Limits);
