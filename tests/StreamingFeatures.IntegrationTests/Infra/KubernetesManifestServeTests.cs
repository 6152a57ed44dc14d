using System.Globalization;

namespace StreamingFeatures.IntegrationTests.Infra;

/// <summary>
/// The serving manifest's objects point at each other: the Service, the autoscaler and the disruption budget reach
/// the serve Deployment's pods and named ports, the probes are the serve command's health endpoints, and a pod has
/// time to drain before it is killed. Its container's args go through <c>serve --dry-run</c> with the others in
/// <see cref="KubernetesManifestTests"/>.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class KubernetesManifestServeTests
{
    private const string Name = "streamingfeatures-serve";

    private static readonly KubernetesManifests Manifests = KubernetesManifests.Load(KubernetesManifests.RepositoryFolder());

    private static ManifestWorkload Serve => Manifests.Workloads["Deployment/" + Name];

    [TestMethod]
    public void ServeDeployment_Selector_MatchesItsPods()
    {
        Assert.IsTrue(Serve.Matches(Serve.Selector), "the Deployment's selector matches its own pod template's labels");
    }

    [TestMethod]
    public void ServeService_SelectorAndTargetPorts_ReachTheServeContainer()
    {
        ManifestService service = Manifests.ServiceSpecs[Name];

        Assert.IsTrue(Serve.Matches(service.Selector), "the Service selects the serve pods");
        foreach (ManifestServicePort port in service.Ports)
        {
            Assert.IsTrue(port.TargetPort is not null && Serve.ContainerPorts.ContainsKey(port.TargetPort), $"Service port {port.Name} targets '{port.TargetPort}', a container port the serve pod names");
        }

        ManifestServicePort http = service.Ports.Single(p => p.Name == "http");
        ManifestServicePort grpc = service.Ports.Single(p => p.Name == "grpc");
        Assert.AreEqual(8080, Serve.ContainerPorts[http.TargetPort!], "REST, Feast, health and metrics: the serve command's --port");
        Assert.AreEqual(8081, Serve.ContainerPorts[grpc.TargetPort!], "gRPC: the serve command's --grpc-port");
        Assert.AreEqual("kubernetes.io/h2c", grpc.AppProtocol, "gRPC without TLS is HTTP/2 cleartext");
    }

    [TestMethod]
    public void ServeAutoscaler_ScaleTarget_IsTheServeDeploymentOnCpu()
    {
        ManifestAutoscaler autoscaler = Manifests.Autoscalers[Name];

        Assert.AreEqual("apps/v1", autoscaler.TargetApiVersion);
        Assert.IsTrue(Manifests.Workloads.ContainsKey($"{autoscaler.TargetKind}/{autoscaler.TargetName}"), $"scaleTargetRef {autoscaler.TargetKind}/{autoscaler.TargetName} names a workload of infra/k8s");
        Assert.AreEqual(Name, autoscaler.TargetName);
        CollectionAssert.Contains(autoscaler.ResourceMetrics.ToList(), "cpu");
        Assert.IsGreaterThanOrEqualTo(2, autoscaler.MinReplicas ?? 1, "two replicas at least, so one can drain");
        Assert.IsGreaterThan(autoscaler.MinReplicas ?? 1, autoscaler.MaxReplicas ?? 0);
    }

    [TestMethod]
    public void ServeDisruptionBudget_Selector_MatchesTheServePods()
    {
        Assert.IsTrue(Serve.Matches(Manifests.DisruptionBudgets[Name]));
    }

    [TestMethod]
    public void ServeDeployment_Probes_AreTheHealthEndpointsOnTheHttpPort()
    {
        Assert.AreEqual(("/healthz/live", "http"), Serve.Probes["livenessProbe"]);
        Assert.AreEqual(("/healthz/ready", "http"), Serve.Probes["readinessProbe"]);
    }

    [TestMethod]
    public void ServeDeployment_GracePeriod_ExceedsPreStopAndDrainTimeout()
    {
        ManifestContainer container = Manifests.Containers.Single(c => c.Args.FirstOrDefault() == "serve");
        int flag = container.Args.ToList().IndexOf("--drain-timeout");
        // The serve command's default drain timeout is 10 s.
        TimeSpan drain = flag < 0 ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(double.Parse(container.Args[flag + 1].TrimEnd('s'), CultureInfo.InvariantCulture));

        TimeSpan needed = drain + TimeSpan.FromSeconds(Serve.PreStopSleepSeconds ?? 0);

        Assert.IsGreaterThan(needed.TotalSeconds, Serve.TerminationGracePeriodSeconds ?? 30, $"terminationGracePeriodSeconds must exceed the preStop pause plus --drain-timeout ({needed.TotalSeconds} s)");
    }
}
