using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Google.Cloud.Bigtable.V2;
using Grpc.Core;
using Grpc.Net.Client;
using StreamingFeatures.Bigtable;
using StreamingFeatures.IntegrationTests.PubSub;
using BigtableClient = Google.Cloud.Bigtable.V2.Bigtable.BigtableClient;

namespace StreamingFeatures.IntegrationTests.Cli.Ingest;

/// <summary>The steps: the command line, waiting on the process, reading the table and the metrics.</summary>
public sealed partial class IngestKillTests
{
    private readonly GrpcChannel _bigtable = EmulatorFixture.Bigtable.CreateChannel();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [TestCleanup]
    public void Cleanup()
    {
        _bigtable.Dispose();
        _http.Dispose();
    }

    /// <summary>The same command line for both runs: the workspace's subscription and table, a 10 s ack deadline.</summary>
    private static string[] Arguments(IngestWorkspace workspace, string featureSet) =>
    [
        "ingest", "--local", "--project", EmulatorFixture.Project, "--instance", EmulatorFixture.Instance, "--feature-set", featureSet,
        "--subscription", workspace.Subscription, "--topic", workspace.Topic, "--dead-letter-topic", workspace.DeadLetterTopic,
        "--ack-deadline", "10s", "--http-port", "0", "--summary-interval", "5s", "--shutdown-timeout", "30s",
    ];

    /// <summary>The fixture's emulators, so the restarted process sees the state the killed one left.</summary>
    private static Dictionary<string, string> EmulatorHosts() => new()
    {
        [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint,
        [CliProcess.PubSubHostVariable] = EmulatorFixture.PubSub.Endpoint,
    };

    /// <summary>The workspace's feature set as a user writes it: user → row, ts → cell time, three features in f.</summary>
    private static string WriteFeatureSet(IngestWorkspace workspace, string folder)
    {
        string path = Path.Combine(folder, "features.json");
        File.WriteAllText(path, $$"""
            {
              "table": "{{workspace.FeatureSet.Table}}",
              "entityKey": "user",
              "eventTime": "ts",
              "families": { "{{IngestWorkspace.Family}}": { "maxVersions": 5 } },
              "features": [
                { "name": "clicks", "family": "{{IngestWorkspace.Family}}", "type": "int64", "nullable": true },
                { "name": "score", "family": "{{IngestWorkspace.Family}}", "type": "float64", "nullable": true },
                { "name": "name", "family": "{{IngestWorkspace.Family}}", "type": "string", "nullable": true }
              ]
            }
            """);
        return path;
    }

    /// <summary>Waits for the endpoints line and readiness; returns the endpoints' base address.</summary>
    private async Task<string> WaitUntilReadyAsync(CliProcess cli)
    {
        string? address = null;
        await cli.WaitUntilAsync(() => Task.FromResult((address = HealthLine().Match(cli.Output) is { Success: true } m ? m.Groups[1].Value : null) is not null), "the endpoints line", TimeSpan.FromSeconds(60), Cancellation);
        await cli.WaitUntilAsync(async () => await GetAsync(address + "/healthz/ready") is (HttpStatusCode.OK, _), "readiness", TimeSpan.FromSeconds(60), Cancellation);
        return address!;
    }

    /// <summary>
    /// Waits until at least 12 s passed since the kill (the killed process's leases have lapsed and come back),
    /// nothing is outstanding and the received count stood still for 3 s.
    /// </summary>
    private async Task WaitUntilQuietAsync(CliProcess cli, string address, Stopwatch sinceKill)
    {
        double lastReceived = -1;
        var still = Stopwatch.StartNew();
        await cli.WaitUntilAsync(
            async () =>
            {
                await Task.Delay(500, Cancellation);
                (HttpStatusCode? code, string body) = await GetAsync(address + "/metrics");
                if (code != HttpStatusCode.OK)
                {
                    return false;
                }

                double received = Sum(ReceivedMetric(), body);
                double outstanding = Sum(OutstandingMetric(), body);
                if (received != lastReceived)
                {
                    lastReceived = received;
                    still.Restart();
                }

                return sinceKill.Elapsed > TimeSpan.FromSeconds(12) && received > 0 && outstanding == 0 && still.Elapsed > TimeSpan.FromSeconds(3);
            },
            "a quiet subscription (no outstanding message, nothing newly received)",
            TimeSpan.FromSeconds(90),
            Cancellation);
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod: the service drains, acks what was written and exits.</summary>
    private async Task TerminateAsync(CliProcess cli)
    {
        using Process kill = Process.Start("kill", ["-TERM", cli.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(Cancellation);
    }

    /// <summary>Rows in the table: a scan of keys only.</summary>
    private async Task<long> CountRowsAsync(IngestWorkspace workspace)
    {
        // The scan competes with the CLI for the machine: not more than once a second.
        await Task.Delay(1_000, Cancellation);
        var request = new ReadRowsRequest
        {
            TableName = workspace.TableName,
            Filter = new RowFilter { Chain = new RowFilter.Types.Chain { Filters = { new RowFilter { CellsPerRowLimitFilter = 1 }, new RowFilter { StripValueTransformer = true } } } },
        };
        var merger = new ReadRowsMerger();
        long rows = 0;
        using AsyncServerStreamingCall<ReadRowsResponse> call = new BigtableClient(_bigtable).ReadRows(request, cancellationToken: Cancellation);
        await foreach (ReadRowsResponse response in call.ResponseStream.ReadAllAsync(Cancellation))
        {
            rows += merger.Add(response).Count;
        }

        return rows;
    }

    /// <summary>The status and body, or no status when the process does not answer.</summary>
    private async Task<(HttpStatusCode? Code, string Body)> GetAsync(string url)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(url, Cancellation);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !Cancellation.IsCancellationRequested)
        {
            return (null, string.Empty);
        }
    }

    /// <summary>The sum of a metric's series in a Prometheus scrape; fails when the scrape lacks it.</summary>
    private static double Sum(Regex metric, string body)
    {
        MatchCollection series = metric.Matches(body);
        if (series.Count == 0)
        {
            throw new AssertFailedException($"No {metric} in /metrics:{Environment.NewLine}{body}");
        }

        return series.Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"Health: (http://[^/\s]+)/healthz/live")]
    private static partial Regex HealthLine();

    [GeneratedRegex(@"^streamingfeatures_pubsub_received_total\{[^}]*\} ([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex ReceivedMetric();

    [GeneratedRegex(@"^streamingfeatures_pubsub_outstanding_messages\{[^}]*\} ([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex OutstandingMetric();
}
