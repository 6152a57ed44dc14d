using System.ComponentModel;
using System.Text.Json;
using StreamingFeatures.IntegrationTests.Cli;
using StreamingFeatures.IntegrationTests.Cli.Install;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// What <c>infra/airflow/check_dags.py</c> says of the DAGs: the problems its <c>ast</c> checks found, and every
/// container the DAGs launch (task, args, Indexed or not, mounts), each as a <see cref="ManifestContainer"/> that
/// <see cref="ManifestRun"/> turns into a CLI run like a manifest's.
/// </summary>
internal sealed record AirflowDags(int ExitCode, string Output, IReadOnlyList<string> Problems, IReadOnlyList<ManifestContainer> Launches)
{
    /// <summary>The repository's <c>infra/airflow</c>.</summary>
    public static string Folder() => Path.Combine(Path.GetDirectoryName(KubernetesManifests.RepositoryFolder())!, "airflow");

    /// <summary>Runs the check script in <paramref name="airflowFolder"/> with <c>--set NAME=VALUE</c> for each of <paramref name="values"/>.</summary>
    /// <exception cref="AssertFailedException">python3 is not installed: the test cannot check the DAGs, and says so.</exception>
    public static async Task<AirflowDags> CheckAsync(string airflowFolder, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        CliResult result;
        try
        {
            result = await BoundedProcess.RunAsync(
                "python3",
                [Path.Combine(airflowFolder, "check_dags.py"), .. values.Select(v => $"--set={v.Key}={v.Value}")],
                airflowFolder,
                new Dictionary<string, string?> { ["PYTHONDONTWRITEBYTECODE"] = "1" },
                TimeSpan.FromMinutes(1),
                cancellationToken);
        }
        catch (Win32Exception e)
        {
            throw new AssertFailedException($"python3 is not on PATH ({e.Message}): the Airflow DAG test parses the DAGs with Python's ast and cannot be skipped. Install python3 (3.9 or later).", e);
        }

        using JsonDocument json = Parse(result);
        JsonElement root = json.RootElement;
        return new AirflowDags(
            result.Code,
            result.Output,
            [.. root.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!)],
            [.. root.GetProperty("launches").EnumerateArray().Select(Container)]);
    }

    private static JsonDocument Parse(CliResult result)
    {
        try
        {
            return JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException e)
        {
            throw new AssertFailedException($"check_dags.py exited {result.Code} without its JSON:{Environment.NewLine}{result.Output}", e);
        }
    }

    /// <summary>
    /// A launch as the pod the DAG's operator creates: the image's entrypoint runs the args, and service links are
    /// off (streamingfeatures_pod.py's full_pod_spec).
    /// </summary>
    private static ManifestContainer Container(JsonElement launch) => new(
        "infra/airflow task " + launch.GetProperty("task").GetString(),
        [],
        [.. launch.GetProperty("args").EnumerateArray().Select(a => a.GetString()!)],
        [],
        [],
        [.. launch.GetProperty("mounts").EnumerateArray().Select(m => new ManifestMount(
            m.GetProperty("mountPath").GetString()!,
            m.TryGetProperty("configMap", out JsonElement configMap) ? configMap.GetString() : null,
            null))],
        null,
        EnableServiceLinks: false,
        IndexedJob: launch.GetProperty("indexed").GetBoolean());
}
