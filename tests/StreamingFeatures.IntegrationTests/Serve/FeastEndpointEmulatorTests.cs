using System.Net;
using System.Text;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using StreamingFeatures.Bigtable;
using StreamingFeatures.Cli.Serve.Feast;
using StreamingFeatures.FeatureSets;
using StreamingFeatures.IntegrationTests.Serving;
using StreamingFeatures.Serving;

namespace StreamingFeatures.IntegrationTests.Serve;

/// <summary>
/// Feast's <c>POST /get-online-features</c> in a minimal Kestrel app on a loopback port, reading rows the ingestion
/// pipeline wrote to the real cbtemulator, asked the way Feast's documentation asks (<c>curl -d</c>, so a
/// form-urlencoded content type carrying JSON).
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class FeastEndpointEmulatorTests
{
    private static readonly DateTimeOffset s_event = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task GetOnlineFeatures_EveryTypeWrittenThroughThePipeline_FeastShapedAnswer()
    {
        FeatureSetOptions featureSet = FeatureReaderEmulatorTests.AllTypes(EmulatorFixture.UniqueName("feast"), NullHandling.Skip);
        using ServingTable table = await ServingTable.CreateAsync(featureSet, Cancellation);
        await table.WriteAsync(
        [
            $"1001,{ServingTable.Time(s_event)},-9223372036854775808,0.7037263512611389,true,Zürich,AQL/,2026-02-03T04:05:06.789012Z",
            $"1002,{ServingTable.Time(s_event)},308,-0.125,false,,,1970-01-01T00:00:00Z",
        ], Cancellation);
        var reader = new FeatureReader(table.Target, featureSet);
        string view = featureSet.Table;
        await using WebApplication app = await StartAsync(name => name == view ? reader : null);

        (HttpStatusCode status, string body) = await PostAsync(app, $$$"""
            {"features": ["{{{view}}}:i", "{{{view}}}:x", "{{{view}}}:b", "{{{view}}}:s", "{{{view}}}:y", "{{{view}}}:t"],
             "entities": {"user_id": [1001, 1002, 1003]}}
            """);

        Assert.AreEqual(HttpStatusCode.OK, status, body);
        const string Epoch = "\"1970-01-01T00:00:00Z\"";
        const string Event = "\"2026-03-01T12:00:00Z\"";
        string Column(string values, string statuses, string times) => $$"""{"values":[{{values}}],"statuses":[{{statuses}}],"event_timestamps":[{{times}}]}""";
        string expected = """{"metadata":{"feature_names":["user_id","i","x","b","s","y","t"]},"results":[""" + string.Join(',',
            Column("1001,1002,1003", "\"PRESENT\",\"PRESENT\",\"PRESENT\"", $"{Epoch},{Epoch},{Epoch}"),
            Column("-9223372036854775808,308,null", "\"PRESENT\",\"PRESENT\",\"NOT_FOUND\"", $"{Event},{Event},{Epoch}"),
            Column("0.7037263512611389,-0.125,null", "\"PRESENT\",\"PRESENT\",\"NOT_FOUND\"", $"{Event},{Event},{Epoch}"),
            Column("true,false,null", "\"PRESENT\",\"PRESENT\",\"NOT_FOUND\"", $"{Event},{Event},{Epoch}"),
            Column("\"Zürich\",null,null", "\"PRESENT\",\"NULL_VALUE\",\"NOT_FOUND\"", $"{Event},{Epoch},{Epoch}"),
            Column("\"AQL/\",null,null", "\"PRESENT\",\"NULL_VALUE\",\"NOT_FOUND\"", $"{Event},{Epoch},{Epoch}"),
            Column("1770091506,0,null", "\"PRESENT\",\"PRESENT\",\"NOT_FOUND\"", $"{Event},{Event},{Epoch}")) + "]}";
        Assert.AreEqual(expected, body);
    }

    [TestMethod]
    public async Task GetOnlineFeatures_UnknownView_404FeastError()
    {
        await using WebApplication app = await StartAsync(_ => null);

        (HttpStatusCode status, string body) = await PostAsync(app, """{"features": ["driver_hourly_stats:conv_rate"], "entities": {"driver_id": [1001]}}""");

        Assert.AreEqual(HttpStatusCode.NotFound, status, body);
        StringAssert.Contains(body, "\"class\":\"FeatureViewNotFoundException\"");
        StringAssert.Contains(body, "feature view 'driver_hourly_stats' is not served here");
    }

    [TestMethod]
    public async Task GetOnlineFeatures_BigtableUnreachableThroughTheRetries_503()
    {
        // Nothing listens on a port just released: every attempt fails UNAVAILABLE, as a Bigtable outage does.
        string endpoint = $"http://127.0.0.1:{FreePort()}";
        using GrpcChannel channel = GrpcChannel.ForAddress(endpoint);
        FeatureSetOptions featureSet = FeatureReaderEmulatorTests.AllTypes("gone", NullHandling.Skip);
        var options = new FeatureReaderOptions { Retry = FeatureReaderOptions.DefaultRetry with { MaxAttempts = 3 } };
        var reader = new FeatureReader(new BigtableTarget(channel.CreateCallInvoker(), "projects/p/instances/i/tables/gone"), featureSet, options);
        await using WebApplication app = await StartAsync(name => name == "gone" ? reader : null);

        (HttpStatusCode status, string body) = await PostAsync(app, """{"features": ["gone:i"], "entities": {"user_id": [1]}}""");

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, status, body);
        StringAssert.Contains(body, "\"class\":\"ConnectionError\"");
    }

    private async Task<WebApplication> StartAsync(Func<string, FeatureReader?> readerOf)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        WebApplication app = builder.Build();
        app.MapFeastEndpoints(readerOf);
        await app.StartAsync(Cancellation);
        return app;
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(WebApplication app, string json)
    {
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        using var content = new StringContent(json, Encoding.UTF8, "application/x-www-form-urlencoded");
        using HttpResponseMessage response = await client.PostAsync(FeastEndpoints.Path, content, Cancellation);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
