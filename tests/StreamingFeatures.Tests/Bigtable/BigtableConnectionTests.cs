using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using StreamingFeatures.Bigtable;
using StreamingFeatures.GoogleCloud;

namespace StreamingFeatures.Tests.Bigtable;

[TestClass]
public sealed class BigtableConnectionTests
{
    private static readonly Func<string?, Task<ICredential>> NoCredentials =
        _ => throw new AssertFailedException("an emulator connection must not ask for credentials");

    [TestMethod]
    public async Task ConnectAsync_EmulatorVariableSet_PlaintextWithoutCredentials()
    {
        using BigtableConnection connection = await BigtableConnection.ConnectAsync(
            new BigtableConnectionOptions(), v => v == "BIGTABLE_EMULATOR_HOST" ? "127.0.0.1:8086" : null, NoCredentials);

        Assert.IsTrue(connection.IsEmulator);
        Assert.AreEqual(new Uri("http://127.0.0.1:8086"), connection.DataAddress);
        Assert.AreEqual("projects/emulator/instances/emulator/tables/t", connection.TableName("t"));
    }

    [TestMethod]
    public async Task ConnectAsync_ExplicitEmulatorHost_WinsOverVariableAndKeepsNames()
    {
        using BigtableConnection connection = await BigtableConnection.ConnectAsync(
            new BigtableConnectionOptions { EmulatorHost = "localhost:9000", Project = "p", Instance = "i" }, _ => "127.0.0.1:1", NoCredentials);

        Assert.AreEqual(new Uri("http://localhost:9000"), connection.DataAddress);
        Assert.AreEqual("projects/p/instances/i", connection.InstanceName);
    }

    [TestMethod]
    public async Task ConnectAsync_NoEmulatorNoInstance_NamesWhatIsMissing()
    {
        var error = await Assert.ThrowsExactlyAsync<ConnectionSettingsException>(() => BigtableConnection.ConnectAsync(
            new BigtableConnectionOptions { Project = "p" }, _ => null, NoCredentials));

        StringAssert.Contains(error.Message, "Instance=''");
        StringAssert.Contains(error.Message, "BIGTABLE_EMULATOR_HOST");
    }

    [TestMethod]
    public async Task ConnectAsync_RealInstance_UsesTlsEndpointAndApplicationDefaultCredentials()
    {
        string? askedFile = "unset";
        using BigtableConnection connection = await BigtableConnection.ConnectAsync(
            new BigtableConnectionOptions { Project = "proj", Instance = "inst", AppProfileId = "batch" },
            _ => null,
            file =>
            {
                askedFile = file;
                return Task.FromResult<ICredential>(GoogleCredential.FromAccessToken("token-1"));
            });

        Assert.IsFalse(connection.IsEmulator);
        Assert.AreEqual(new Uri("https://bigtable.googleapis.com:443"), connection.DataAddress);
        Assert.AreEqual("projects/proj/instances/inst", connection.InstanceName);
        Assert.AreEqual("batch", connection.AppProfileId);
        Assert.IsNull(askedFile, "no key file named: Application Default Credentials");
    }

    [TestMethod]
    public async Task BearerToken_AddsAuthorizationHeaderFromCredential()
    {
        AsyncAuthInterceptor interceptor = GoogleChannels.BearerToken(GoogleCredential.FromAccessToken("secret-token"), BigtableConnection.DataScope);
        var metadata = new Metadata();

        await interceptor(new AuthInterceptorContext("https://bigtable.googleapis.com/google.bigtable.v2.Bigtable", "MutateRows"), metadata);

        Assert.AreEqual("Bearer secret-token", metadata.GetValue("authorization"));
    }
}
