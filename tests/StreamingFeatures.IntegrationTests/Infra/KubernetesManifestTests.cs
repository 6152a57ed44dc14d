using StreamingFeatures.IntegrationTests.Cli;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// Every container of <c>infra/k8s</c> run through the CLI's own parser and checks with <c>--dry-run</c>: its args,
/// its env (with what Kubernetes adds) and its ConfigMap files, so a manifest cannot drift from the CLI. The
/// migration's dry run reads the source schema, so it gets a BigQuery Storage emulator holding the table its
/// <c>--source</c> names and the Bigtable emulator (<see cref="ManifestDryRun"/>), and needs no credentials.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class KubernetesManifestTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Manifests_EveryContainerDryRun_ExitsZero()
    {
        KubernetesManifests manifests = KubernetesManifests.Load(KubernetesManifests.RepositoryFolder());
        Assert.IsGreaterThanOrEqualTo(3, manifests.Containers.Count, "the ingest and serve Deployments and the migration Job at least");

        foreach (ManifestContainer container in manifests.Containers)
        {
            CliResult result = await DryRunAsync(container, manifests);

            Assert.AreEqual(0, result.Code, $"{container}:{Environment.NewLine}{result.Output}");
            StringAssert.Contains(result.Output, "Dry run", container.ToString());
        }
    }

    [TestMethod]
    public void Manifests_EveryPod_DisablesServiceLinks()
    {
        KubernetesManifests manifests = KubernetesManifests.Load(KubernetesManifests.RepositoryFolder());

        foreach (ManifestContainer container in manifests.Containers)
        {
            Assert.IsFalse(container.EnableServiceLinks, $"{container}: set enableServiceLinks: false, or the namespace's Services inject *_SERVICE_HOST/*_PORT variables into the pod");
        }
    }

    [TestMethod]
    public async Task Manifests_IngestWithServiceLinks_WarnsAboutTheInjectedVariablesAndPasses()
    {
        KubernetesManifests manifests = KubernetesManifests.Load(KubernetesManifests.RepositoryFolder());
        ManifestContainer ingest = Ingest(manifests) with { EnableServiceLinks = true };

        CliResult result = await DryRunAsync(ingest, manifests);

        Assert.AreEqual(0, result.Code, result.Output);
        StringAssert.Contains(result.Output, "STREAMINGFEATURES_INGEST_METRICS_SERVICE_HOST");
        StringAssert.Contains(result.Output, "warning: Ignored");
    }

    [TestMethod]
    [DataRow("ingest", "flag", DisplayName = "ingest: an unknown flag")]
    [DataRow("ingest", "config", DisplayName = "ingest: an unknown key in the ConfigMap's ingest.json")]
    [DataRow("ingest", "env", DisplayName = "ingest: an out-of-range STREAMINGFEATURES_ variable")]
    [DataRow("serve", "flag", DisplayName = "serve: an unknown flag")]
    [DataRow("migrate", "flag", DisplayName = "migrate: an unknown flag")]
    [DataRow("migrate", "value", DisplayName = "migrate: a shard index outside the shard count")]
    public async Task Manifests_DriftedCopy_DryRunExitsTwo(string command, string drift)
    {
        KubernetesManifests manifests = KubernetesManifests.Load(KubernetesManifests.RepositoryFolder());
        ManifestContainer container = command == "ingest" ? Ingest(manifests) : manifests.Containers.Single(c => c.Args.FirstOrDefault() == command);
        switch (drift)
        {
            case "flag":
                container = container with { Args = [.. container.Args, "--no-such-flag", "1"] };
                break;
            case "config":
                Dictionary<string, string> data = manifests.ConfigMaps["streamingfeatures-ingest"];
                data["ingest.json"] = data["ingest.json"].Replace("\"Streams\"", "\"Streems\"", StringComparison.Ordinal);
                break;
            case "env":
                container = container with { Env = [.. container.Env, new ManifestEnvVar("STREAMINGFEATURES_STREAMS", "0", null, null)] };
                break;
            case "value":
                container = container with { Args = [.. container.Args.Select(a => a == "$(JOB_COMPLETION_INDEX)" ? "7" : a)] };
                break;
        }

        CliResult result = await DryRunAsync(container, manifests);

        Assert.AreEqual(2, result.Code, result.Output);
        Assert.DoesNotContain("Dry run:", result.Output, "a drifted manifest must not pass");
    }

    private static ManifestContainer Ingest(KubernetesManifests manifests) => manifests.Containers.Single(c => c.Args.FirstOrDefault() == "ingest");

    private Task<CliResult> DryRunAsync(ManifestContainer container, KubernetesManifests manifests) =>
        ManifestDryRun.RunAsync(container, manifests, Cancellation);
}
