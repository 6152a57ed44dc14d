using StreamingFeatures.Emulators;

namespace StreamingFeatures.Tests.Emulators;

[TestClass]
public sealed class EmulatorLocatorTests
{
    private const string SdkRoot = "/opt/google-cloud-sdk";

    [TestMethod]
    public void Locate_SdkHasEmulator_ReturnsPathUnderPlatform()
    {
        var locator = new EmulatorLocator(() => SdkRoot, path => path == $"{SdkRoot}/platform/bigtable-emulator/cbtemulator", _ => null);

        string path = locator.Locate(EmulatorSpec.Bigtable, explicitPath: null);

        Assert.AreEqual($"{SdkRoot}/platform/bigtable-emulator/cbtemulator", path);
    }

    [TestMethod]
    public void Locate_ExplicitPathExists_WinsOverSdk()
    {
        var locator = new EmulatorLocator(() => throw new AssertFailedException("the SDK must not be asked"), path => path == "/custom/cbtemulator", _ => null);

        Assert.AreEqual("/custom/cbtemulator", locator.Locate(EmulatorSpec.Bigtable, "/custom/cbtemulator"));
    }

    [TestMethod]
    public void Locate_ExplicitPathMissing_NamesPathAndInstallCommand()
    {
        var locator = new EmulatorLocator(() => SdkRoot, _ => false, _ => null);

        var error = Assert.ThrowsExactly<EmulatorNotInstalledException>(() => locator.Locate(EmulatorSpec.Bigtable, "/nowhere/cbtemulator"));

        StringAssert.Contains(error.Message, "/nowhere/cbtemulator");
        StringAssert.Contains(error.Message, "gcloud components install bigtable");
    }

    [TestMethod]
    public void Locate_NoGcloud_NamesCliPackageComponentAndVariable()
    {
        var locator = new EmulatorLocator(() => null, _ => false, _ => null);

        var error = Assert.ThrowsExactly<EmulatorNotInstalledException>(() => locator.Locate(EmulatorSpec.PubSub, explicitPath: null));

        StringAssert.Contains(error.Message, "google-cloud-cli");
        StringAssert.Contains(error.Message, "gcloud components install pubsub-emulator");
        StringAssert.Contains(error.Message, "PUBSUB_EMULATOR_HOST");
    }

    [TestMethod]
    public void Locate_SdkWithoutComponent_NamesComponentAndDebianPackage()
    {
        var locator = new EmulatorLocator(() => SdkRoot, _ => false, _ => null);

        var error = Assert.ThrowsExactly<EmulatorNotInstalledException>(() => locator.Locate(EmulatorSpec.Bigtable, explicitPath: null));

        StringAssert.Contains(error.Message, $"{SdkRoot}/platform/bigtable-emulator/cbtemulator");
        StringAssert.Contains(error.Message, "gcloud components install bigtable");
        StringAssert.Contains(error.Message, "google-cloud-cli-bigtable-emulator");
    }

    [TestMethod]
    public void Locate_PubSubWithoutJava_NamesJavaRuntimePackage()
    {
        string emulator = $"{SdkRoot}/platform/pubsub-emulator/bin/cloud-pubsub-emulator";
        var locator = new EmulatorLocator(() => SdkRoot, path => path == emulator, _ => null);

        var error = Assert.ThrowsExactly<EmulatorNotInstalledException>(() => locator.Locate(EmulatorSpec.PubSub, explicitPath: null));

        StringAssert.Contains(error.Message, "Java");
        StringAssert.Contains(error.Message, "default-jre-headless");
    }

    [TestMethod]
    public void Locate_PubSubWithJavaOnPath_ReturnsLauncherScript()
    {
        string emulator = $"{SdkRoot}/platform/pubsub-emulator/bin/cloud-pubsub-emulator";
        var locator = new EmulatorLocator(() => SdkRoot, path => path == emulator, program => program == "java" ? "/usr/bin/java" : null);

        Assert.AreEqual(emulator, locator.Locate(EmulatorSpec.PubSub, explicitPath: null));
    }
}
