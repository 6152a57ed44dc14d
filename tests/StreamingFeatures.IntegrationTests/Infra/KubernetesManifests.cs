using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// The objects of the YAML files in a folder such as <c>infra/k8s</c>, as far as running their containers needs:
/// each workload's containers (args, command, env, volume mounts), its pod's volumes and service-link setting, and
/// the ConfigMaps and Services beside them.
/// </summary>
internal sealed partial class KubernetesManifests
{
    private static readonly string[] s_workloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"];

    public Dictionary<string, Dictionary<string, string>> ConfigMaps { get; } = new(StringComparer.Ordinal);

    /// <summary>Service names with their ports (name, port).</summary>
    public Dictionary<string, List<(string? Name, int Port)>> Services { get; } = new(StringComparer.Ordinal);

    public List<ManifestContainer> Containers { get; } = [];

    /// <summary>The repository's <c>infra/k8s</c>, found upward from the test's folder.</summary>
    public static string RepositoryFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "infra", "k8s");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "StreamingFeatures.sln")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No infra/k8s above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// The placeholders the manifests tell users to replace before applying (infra/README.md), given values of the
    /// form Google Cloud accepts, as a user would: the CLI checks names (a project id has no underscore), so the
    /// placeholders themselves would not pass.
    /// </summary>
    private static readonly Dictionary<string, string> Placeholders = new(StringComparer.Ordinal)
    {
        ["PROJECT_ID"] = "example-project",
        ["INSTANCE_ID"] = "example-instance",
        ["DATASET"] = "feature_exports",
        ["SOURCE_TABLE"] = "user_features",
        ["FEATURE_TABLE"] = "user-features",
    };

    public static KubernetesManifests Load(string folder)
    {
        var manifests = new KubernetesManifests();
        foreach (string file in Directory.EnumerateFiles(folder, "*.y*ml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StringReader(Placeholder().Replace(File.ReadAllText(file), m => Placeholders[m.Value])))
            {
                stream.Load(reader);
            }

            foreach (YamlDocument document in stream.Documents)
            {
                if (document.RootNode is YamlMappingNode root)
                {
                    manifests.Add(Path.GetFileName(file), root);
                }
            }
        }

        return manifests;
    }

    [GeneratedRegex(@"\b(PROJECT_ID|INSTANCE_ID|DATASET|SOURCE_TABLE|FEATURE_TABLE)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    private void Add(string file, YamlMappingNode root)
    {
        string kind = Text(root, "kind") ?? string.Empty;
        string name = Text(Map(root, "metadata"), "name") ?? string.Empty;
        AddPods(file, kind, name, root);
        AddRouting(kind, name, root);
        AddScaling(file, kind, name, root);
        switch (kind)
        {
            case "ConfigMap":
                ConfigMaps[name] = Map(root, "data")?.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? string.Empty, StringComparer.Ordinal) ?? [];
                break;
            case "Service":
                Services[name] = [.. Seq(Map(root, "spec"), "ports").OfType<YamlMappingNode>().Select(p => (Text(p, "name"), int.Parse(Text(p, "port")!, System.Globalization.CultureInfo.InvariantCulture)))];
                break;
            case var workload when s_workloadKinds.Contains(workload):
                YamlMappingNode? spec = Map(root, "spec");
                YamlMappingNode? pod = kind switch
                {
                    "Pod" => spec,
                    "CronJob" => Map(Map(Map(Map(spec, "jobTemplate"), "spec"), "template"), "spec"),
                    _ => Map(Map(spec, "template"), "spec"),
                };
                bool indexed = kind == "Job" && Text(spec, "completionMode") == "Indexed";
                bool serviceLinks = Text(pod, "enableServiceLinks") is not { } links || bool.Parse(links);
                Dictionary<string, YamlMappingNode> volumes = Seq(pod, "volumes").OfType<YamlMappingNode>().ToDictionary(v => Text(v, "name")!, StringComparer.Ordinal);
                foreach (YamlMappingNode container in Seq(pod, "initContainers").Concat(Seq(pod, "containers")).OfType<YamlMappingNode>())
                {
                    Containers.Add(new ManifestContainer(
                        $"{file} {kind}/{name} container {Text(container, "name")}",
                        Strings(container, "command"),
                        Strings(container, "args"),
                        [.. Seq(container, "env").OfType<YamlMappingNode>().Select(EnvVar)],
                        [.. Seq(container, "envFrom").OfType<YamlMappingNode>().Select(e => Text(Map(e, "configMapRef"), "name") ?? throw Unsupported(file, "envFrom other than configMapRef"))],
                        [.. Seq(container, "volumeMounts").OfType<YamlMappingNode>().Select(m => Mount(file, m, volumes))],
                        Text(container, "workingDir"),
                        serviceLinks,
                        indexed));
                }

                break;
        }
    }

    private static ManifestEnvVar EnvVar(YamlMappingNode env)
    {
        string name = Text(env, "name")!;
        if (Text(env, "value") is { } value)
        {
            return new ManifestEnvVar(name, value, null, null);
        }

        YamlMappingNode? from = Map(env, "valueFrom");
        if (Map(from, "configMapKeyRef") is { } configMapKey)
        {
            return new ManifestEnvVar(name, null, Text(configMapKey, "name") + "/" + Text(configMapKey, "key"), null);
        }

        // Downward API and the rest: a plausible value is enough to parse.
        string field = Text(Map(from, "fieldRef"), "fieldPath") ?? Text(Map(from, "resourceFieldRef"), "resource") ?? "secret";
        return new ManifestEnvVar(name, null, null, field);
    }

    private static ManifestMount Mount(string file, YamlMappingNode mount, Dictionary<string, YamlMappingNode> volumes)
    {
        string volumeName = Text(mount, "name")!;
        YamlMappingNode volume = volumes.TryGetValue(volumeName, out YamlMappingNode? v) ? v : throw Unsupported(file, $"a mount of the undeclared volume {volumeName}");
        string? configMap = Text(Map(volume, "configMap"), "name");
        return new ManifestMount(Text(mount, "mountPath")!, configMap, Text(mount, "subPath"));
    }

    private static InvalidOperationException Unsupported(string file, string what) => new($"{file}: the manifest test does not model {what}; extend KubernetesManifests.");

    private static YamlMappingNode? Map(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) ? child as YamlMappingNode : null;

    private static IEnumerable<YamlNode> Seq(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) && child is YamlSequenceNode sequence ? sequence.Children : [];

    private static string? Text(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) ? (child as YamlScalarNode)?.Value : null;

    private static List<string> Strings(YamlMappingNode node, string key) => [.. Seq(node, key).Select(n => ((YamlScalarNode)n).Value ?? string.Empty)];
}

/// <summary>One container of a workload, as its manifest declares it.</summary>
internal sealed record ManifestContainer(
    string Where,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Args,
    IReadOnlyList<ManifestEnvVar> Env,
    IReadOnlyList<string> EnvFromConfigMaps,
    IReadOnlyList<ManifestMount> Mounts,
    string? WorkingDir,
    bool EnableServiceLinks,
    bool IndexedJob)
{
    public override string ToString() => Where;
}

/// <summary>An <c>env</c> entry: a literal value, a ConfigMap key (<c>map/key</c>) or another source (a downward-API field).</summary>
internal sealed record ManifestEnvVar(string Name, string? Value, string? ConfigMapKey, string? Field);

/// <summary>A volume mount; <see cref="ConfigMap"/> names the ConfigMap behind it, if any.</summary>
internal sealed record ManifestMount(string MountPath, string? ConfigMap, string? SubPath);
