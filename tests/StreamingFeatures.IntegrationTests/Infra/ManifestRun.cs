using System.Text.RegularExpressions;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// A container of a manifest turned into a CLI run on this machine, as close to the pod as a test gets: each volume
/// mount becomes a folder under <see cref="Root"/> (ConfigMaps written out as files) and paths under a mount path are
/// rewritten to it, in args, env values and ConfigMap files alike; the env is the container's own (ConfigMap keys
/// resolved, downward-API fields given plausible values), plus what Kubernetes adds: <c>JOB_COMPLETION_INDEX</c> in
/// an Indexed Job, the <c>KUBERNETES_*</c> variables and, unless the pod disables service links, the variables of
/// every Service in the manifests. <c>$(VAR)</c> is expanded as the kubelet does.
/// </summary>
internal sealed partial class ManifestRun
{
    /// <summary>The image's entrypoint (infra/docker/Dockerfile): the CLI itself.</summary>
    public static readonly string[] ImageEntrypoint = ["dotnet", "/app/StreamingFeatures.Cli.dll"];

    /// <summary>The image's WORKDIR.</summary>
    public const string ImageWorkingDir = "/data";

    private readonly List<(string MountPath, string Folder)> _mounts = [];

    private ManifestRun(string root) => Root = root;

    public string Root { get; }

    public string WorkingDirectory { get; private set; } = string.Empty;

    public List<string> Args { get; } = [];

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Materialises <paramref name="container"/>'s volumes under <paramref name="root"/> and resolves its args and env.</summary>
    public static ManifestRun Prepare(ManifestContainer container, KubernetesManifests manifests, string root)
    {
        if (container.Command.Count > 0 && !container.Command.SequenceEqual(ImageEntrypoint))
        {
            throw new InvalidOperationException($"{container}: command {string.Join(' ', container.Command)} is not the CLI; the manifest test runs the CLI's args only.");
        }

        var run = new ManifestRun(root);
        foreach (ManifestMount mount in container.Mounts.OrderByDescending(m => m.MountPath.Length))
        {
            string folder = Path.Combine(root, "mounts", mount.MountPath.Trim('/').Replace('/', '_'));
            Directory.CreateDirectory(folder);
            run._mounts.Add((mount.MountPath.TrimEnd('/'), folder));
        }

        foreach (ManifestMount mount in container.Mounts.Where(m => m.ConfigMap is not null))
        {
            string folder = run.Rewrite(mount.MountPath);
            Dictionary<string, string> data = manifests.ConfigMaps.TryGetValue(mount.ConfigMap!, out Dictionary<string, string>? found)
                ? found
                : throw new InvalidOperationException($"{container}: the ConfigMap {mount.ConfigMap} is not in the manifests.");
            foreach ((string key, string content) in data)
            {
                if (mount.SubPath is null || mount.SubPath == key)
                {
                    File.WriteAllText(mount.SubPath is null ? Path.Combine(folder, key) : folder, run.Rewrite(content));
                }
            }
        }

        string workingDir = container.WorkingDir ?? ImageWorkingDir;
        run.WorkingDirectory = run.Rewrite(workingDir) is { } mapped && mapped != workingDir ? mapped : Directory.CreateDirectory(Path.Combine(root, "workdir")).FullName;
        run.AddKubernetesVariables(container, manifests);
        foreach (ManifestEnvVar variable in container.Env)
        {
            string value = variable.Value is { } literal ? run.Expand(literal)
                : variable.ConfigMapKey is { } key ? manifests.ConfigMaps[key.Split('/')[0]][key.Split('/')[1]]
                : Plausible(variable.Field!);
            run.Environment[variable.Name] = run.Rewrite(value);
        }

        run.Args.AddRange(container.Args.Select(a => run.Rewrite(run.Expand(a))));
        return run;
    }

    /// <summary>What the kubelet and the Job controller set before the container's own env.</summary>
    private void AddKubernetesVariables(ManifestContainer container, KubernetesManifests manifests)
    {
        foreach (string configMap in container.EnvFromConfigMaps)
        {
            foreach ((string key, string value) in manifests.ConfigMaps[configMap])
            {
                Environment[key] = value;
            }
        }

        if (container.IndexedJob)
        {
            Environment["JOB_COMPLETION_INDEX"] = "0";
        }

        var services = new List<(string Name, List<(string? Name, int Port)> Ports)> { ("kubernetes", [("https", 443)]) };
        if (container.EnableServiceLinks)
        {
            services.AddRange(manifests.Services.Select(s => (s.Key, s.Value)));
        }

        int address = 1;
        foreach ((string name, List<(string? Name, int Port)> ports) in services)
        {
            string prefix = name.ToUpperInvariant().Replace('-', '_');
            string ip = $"10.96.0.{address++}";
            Environment[prefix + "_SERVICE_HOST"] = ip;
            Environment[prefix + "_SERVICE_PORT"] = ports[0].Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Environment[prefix + "_PORT"] = $"tcp://{ip}:{ports[0].Port}";
            foreach ((string? portName, int port) in ports)
            {
                if (portName is not null)
                {
                    Environment[$"{prefix}_SERVICE_PORT_{portName.ToUpperInvariant().Replace('-', '_')}"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                string tcp = $"{prefix}_PORT_{port}_TCP";
                Environment[tcp] = $"tcp://{ip}:{port}";
                Environment[tcp + "_PROTO"] = "tcp";
                Environment[tcp + "_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Environment[tcp + "_ADDR"] = ip;
            }
        }
    }

    private static string Plausible(string field) => field switch
    {
        "metadata.name" => "streamingfeatures-0",
        "metadata.namespace" => "default",
        "status.podIP" or "status.hostIP" => "10.0.0.2",
        "spec.nodeName" => "node-0",
        _ when field.Contains("job-completion-index", StringComparison.Ordinal) => "0",
        _ => "0",
    };

    /// <summary><c>$(VAR)</c> becomes the value the env defines so far; <c>$$(VAR)</c> is a literal <c>$(VAR)</c>; unknown names stay.</summary>
    private string Expand(string text) => Reference().Replace(text, m => m.Value == "$$" ? "$"
        : Environment.TryGetValue(m.Groups[1].Value, out string? value) ? value : m.Value);

    /// <summary>A path under a mount path, at the start of the text or after a quote, '=', ':' or space, moved to the mount's folder.</summary>
    private string Rewrite(string text)
    {
        if (_mounts.Count == 0)
        {
            return text;
        }

        // One pass over every mount path (longest first), so a folder put in is never rewritten again (/tmp/... folders).
        string paths = string.Join('|', _mounts.Select(m => Regex.Escape(m.MountPath)));
        return Regex.Replace(text, $"""(?<=^|["'=:\s])({paths})(?=/|$|["'\s])""", m => _mounts.First(x => x.MountPath == m.Groups[1].Value).Folder);
    }

    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
