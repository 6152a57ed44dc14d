using Google.Apis.Auth.OAuth2;
using StreamingFeatures.Sources.PubSub;

namespace StreamingFeatures.Tests.Sources.PubSub;

[TestClass]
public sealed class PubSubConnectionTests
{
    private static readonly Func<string?, Task<ICredential>> NoCredentials =
        _ => throw new AssertFailedException("an emulator connection must not ask for credentials");

    [TestMethod]
    public async Task ConnectAsync_EmulatorVariableSet_PlaintextWithoutCredentials()
    {
        using PubSubConnection connection = await PubSubConnection.ConnectAsync(
            null, null, v => v == PubSubConnection.EmulatorHostVariable ? "127.0.0.1:8085" : null, NoCredentials);

        Assert.IsTrue(connection.IsEmulator);
        Assert.AreEqual(new Uri("http://127.0.0.1:8085"), connection.Address);
    }

    [TestMethod]
    public async Task ConnectAsync_ExplicitEmulatorHost_WinsOverVariable()
    {
        using PubSubConnection connection = await PubSubConnection.ConnectAsync("localhost:9000", null, _ => "127.0.0.1:1", NoCredentials);

        Assert.AreEqual(new Uri("http://localhost:9000"), connection.Address);
    }
}
