using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// How the objects point at each other: a workload's pod labels, named ports, probes and termination timing; the
/// Services that select it (autoscalers and disruption budgets are in <c>KubernetesManifests.Scaling.cs</c>). A
/// selector that matches no pod, or a target port no container names, is accepted by the API server and fails only
/// at run time.
/// </summary>
internal sealed partial class KubernetesManifests
{
    /// <summary>Workloads by <c>Kind/name</c>.</summary>
    public Dictionary<string, ManifestWorkload> Workloads { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ManifestService> ServiceSpecs { get; } = new(StringComparer.Ordinal);

    private void AddRouting(string kind, string name, YamlMappingNode root)
    {
        YamlMappingNode? spec = Map(root, "spec");
        switch (kind)
        {
            case "Deployment" or "StatefulSet" or "DaemonSet":
                YamlMappingNode? template = Map(spec, "template");
                YamlMappingNode? pod = Map(template, "spec");
                YamlMappingNode[] containers = [.. Seq(pod, "containers").OfType<YamlMappingNode>()];
                Workloads[$"{kind}/{name}"] = new ManifestWorkload(
                    kind,
                    name,
                    Labels(Map(Map(template, "metadata"), "labels")),
                    Labels(Map(Map(spec, "selector"), "matchLabels")),
                    containers.SelectMany(c => Seq(c, "ports").OfType<YamlMappingNode>()).Where(p => Text(p, "name") is not null).ToDictionary(p => Text(p, "name")!, p => Number(Text(p, "containerPort"))!.Value, StringComparer.Ordinal),
                    containers.SelectMany(c => new[] { "livenessProbe", "readinessProbe" }.Select(probe => (probe, Map(c, probe)))).Where(p => p.Item2 is not null).ToDictionary(p => p.probe, p => (Text(Map(p.Item2, "httpGet"), "path"), Text(Map(p.Item2, "httpGet"), "port")), StringComparer.Ordinal),
                    Number(Text(pod, "terminationGracePeriodSeconds")),
                    containers.Select(c => Number(Text(Map(Map(Map(c, "lifecycle"), "preStop"), "sleep"), "seconds"))).FirstOrDefault(s => s is not null));
                break;
            case "Service":
                ServiceSpecs[name] = new ManifestService(
                    name,
                    Labels(Map(spec, "selector")),
                    [.. Seq(spec, "ports").OfType<YamlMappingNode>().Select(p => new ManifestServicePort(Text(p, "name"), Number(Text(p, "port"))!.Value, Text(p, "targetPort"), Text(p, "appProtocol")))]);
                break;
        }
    }

    private static Dictionary<string, string> Labels(YamlMappingNode? node) =>
        node?.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? string.Empty, StringComparer.Ordinal) ?? [];

    private static int? Number(string? text) => text is null ? null : int.Parse(text, CultureInfo.InvariantCulture);
}

/// <summary>
/// A Deployment, StatefulSet or DaemonSet as the objects that route to it see it; <c>Probes</c> per probe kind
/// (<c>livenessProbe</c>, <c>readinessProbe</c>) its HTTP path and port, <c>PreStopSleepSeconds</c> the first
/// container's <c>lifecycle.preStop.sleep.seconds</c>, if any.
/// </summary>
internal sealed record ManifestWorkload(
    string Kind,
    string Name,
    Dictionary<string, string> PodLabels,
    Dictionary<string, string> Selector,
    Dictionary<string, int> ContainerPorts,
    Dictionary<string, (string? Path, string? Port)> Probes,
    int? TerminationGracePeriodSeconds,
    int? PreStopSleepSeconds)
{
    /// <summary>True when every label of <paramref name="selector"/> is on this workload's pods.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> selector) =>
        selector.Count > 0 && selector.All(l => PodLabels.TryGetValue(l.Key, out string? value) && value == l.Value);
}

internal sealed record ManifestServicePort(string? Name, int Port, string? TargetPort, string? AppProtocol);

internal sealed record ManifestService(string Name, Dictionary<string, string> Selector, IReadOnlyList<ManifestServicePort> Ports);

