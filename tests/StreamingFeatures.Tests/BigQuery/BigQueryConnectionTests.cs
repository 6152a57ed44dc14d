using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using StreamingFeatures.GoogleCloud;
using StreamingFeatures.Sources.BigQuery;

namespace StreamingFeatures.Tests.BigQuery;

[TestClass]
public sealed class BigQueryConnectionTests
{
    private static readonly Func<string?, Task<ICredential>> NoCredentials =
        _ => throw new AssertFailedException("an emulator connection must not ask for credentials");

    [TestMethod]
    public async Task ConnectAsync_EmulatorVariableSet_PlaintextWithoutCredentials()
    {
        var asked = new List<string>();
        using BigQueryConnection connection = await BigQueryConnection.ConnectAsync(
            new BigQueryConnectionOptions(),
            name =>
            {
                asked.Add(name);
                return name == "BIGQUERY_STORAGE_EMULATOR_HOST" ? " 127.0.0.1:9060 " : null;
            },
            NoCredentials);

        Assert.IsTrue(connection.IsEmulator);
        Assert.AreEqual(new Uri("http://127.0.0.1:9060"), connection.Address);
        CollectionAssert.AreEqual(new[] { "BIGQUERY_STORAGE_EMULATOR_HOST" }, asked);
        Assert.IsNotNull(connection.CallInvoker);
    }

    [TestMethod]
    public async Task ConnectAsync_EmulatorHostOption_WinsOverVariable()
    {
        using BigQueryConnection connection = await BigQueryConnection.ConnectAsync(
            new BigQueryConnectionOptions { EmulatorHost = "localhost:9999", CredentialsFile = "/keys/sa.json" }, _ => "127.0.0.1:1", NoCredentials);

        Assert.IsTrue(connection.IsEmulator);
        Assert.AreEqual(new Uri("http://localhost:9999"), connection.Address);
    }

    [TestMethod]
    public async Task ConnectAsync_NoEmulator_TlsEndpointAndCredentialsFromTheKeyFile()
    {
        string? askedFile = "unset";
        using BigQueryConnection connection = await BigQueryConnection.ConnectAsync(
            new BigQueryConnectionOptions { CredentialsFile = "/keys/sa.json" },
            _ => null,
            file =>
            {
                askedFile = file;
                return Task.FromResult<ICredential>(GoogleCredential.FromAccessToken("token-1"));
            });

        Assert.IsFalse(connection.IsEmulator);
        Assert.AreEqual(new Uri("https://bigquerystorage.googleapis.com:443"), connection.Address);
        Assert.AreEqual("/keys/sa.json", askedFile);
    }

    [TestMethod]
    public async Task ConnectAsync_NoEmulatorNoKeyFile_ApplicationDefaultCredentialsAndCustomEndpoint()
    {
        string? askedFile = "unset";
        using BigQueryConnection connection = await BigQueryConnection.ConnectAsync(
            new BigQueryConnectionOptions { Endpoint = "eu-bigquerystorage.example.com:8443" },
            _ => "  ",
            file =>
            {
                askedFile = file;
                return Task.FromResult<ICredential>(GoogleCredential.FromAccessToken("token-1"));
            });

        Assert.IsFalse(connection.IsEmulator, "a blank variable is no emulator");
        Assert.AreEqual(new Uri("https://eu-bigquerystorage.example.com:8443"), connection.Address);
        Assert.IsNull(askedFile, "no key file named: Application Default Credentials");
    }

    [TestMethod]
    public async Task BearerToken_BigQueryScopes_AddsAuthorizationHeaderFromCredential()
    {
        AsyncAuthInterceptor interceptor = GoogleChannels.BearerToken(GoogleCredential.FromAccessToken("bq-token"), [.. BigQueryConnection.Scopes]);
        var metadata = new Metadata();

        await interceptor(new AuthInterceptorContext("https://bigquerystorage.googleapis.com/google.cloud.bigquery.storage.v1.BigQueryRead", "ReadRows"), metadata);

        Assert.AreEqual("Bearer bq-token", metadata.GetValue("authorization"));
        CollectionAssert.Contains(BigQueryConnection.Scopes.ToArray(), "https://www.googleapis.com/auth/bigquery");
        CollectionAssert.Contains(BigQueryConnection.Scopes.ToArray(), "https://www.googleapis.com/auth/cloud-platform");
    }
}
