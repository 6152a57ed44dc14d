using System.CommandLine;
using System.Text.RegularExpressions;
using StreamingFeatures.Cli;

namespace StreamingFeatures.Tests.Cli;

/// <summary>What <c>streamingfeatures --version</c> prints: the command, the package version and the short commit.</summary>
[TestClass]
public sealed partial class VersionTextTests
{
    [TestMethod]
    public void Format_SdkVersionWithFullCommit_ShortensTheCommit() =>
        Assert.AreEqual("streamingfeatures 0.14.0+ee35b96", VersionText.Format("0.14.0+ee35b96a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f"));

    [TestMethod]
    public void Format_BuiltWithoutGit_PrintsTheVersionAlone() =>
        Assert.AreEqual("streamingfeatures 1.2.0", VersionText.Format("1.2.0"));

    [TestMethod]
    public void Format_PrereleaseWithCommit_KeepsThePrerelease() =>
        Assert.AreEqual("streamingfeatures 1.2.0-rc.1+0123456", VersionText.Format("1.2.0-rc.1+0123456789abcdef0123456789abcdef01234567"));

    [TestMethod]
    public void Format_OtherBuildMetadata_KeptAsItIs() =>
        Assert.AreEqual("streamingfeatures 1.2.0+build.5", VersionText.Format("1.2.0+build.5"));

    [TestMethod]
    public void Format_NoVersion_SaysItIsUnknown() =>
        Assert.AreEqual("streamingfeatures (unknown version)", VersionText.Format(null));

    [TestMethod]
    public void PackageVersion_WithCommit_DropsTheCommit() =>
        Assert.AreEqual("0.14.0", VersionText.PackageVersion("0.14.0+ee35b96a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f"));

    [TestMethod]
    public void Current_ThisBuild_NamesTheCommandAndTheAssemblyVersion()
    {
        Version assembly = typeof(VersionText).Assembly.GetName().Version!;

        Match match = VersionLine().Match(VersionText.Current);

        Assert.IsTrue(match.Success, VersionText.Current);
        Assert.AreEqual($"{assembly.Major}.{assembly.Minor}.{assembly.Build}", match.Groups["version"].Value, VersionText.Current);
    }

    [TestMethod]
    public void VersionOption_OnTheRootCommand_PrintsTheVersionLineAndSucceeds()
    {
        var root = new RootCommand("test");
        VersionText.Install(root);
        using var output = new StringWriter();

        int exit = root.Parse(["--version"]).Invoke(new InvocationConfiguration { Output = output });

        Assert.AreEqual(0, exit);
        Assert.AreEqual(VersionText.Current + Environment.NewLine, output.ToString());
    }

    // The SDK's version (a prerelease suffix allowed), then the commit when the build had git.
    [GeneratedRegex(@"^streamingfeatures (?<version>\d+\.\d+\.\d+)(-[0-9A-Za-z.-]+)?(\+[0-9a-f]{7})?$")]
    private static partial Regex VersionLine();
}
