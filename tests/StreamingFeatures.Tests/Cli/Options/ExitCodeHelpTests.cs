using System.CommandLine;
using StreamingFeatures.Cli;
using StreamingFeatures.Cli.Options;

namespace StreamingFeatures.Tests.Cli.Options;

/// <summary>The exit codes a command declares, as its help lists them.</summary>
[TestClass]
public sealed class ExitCodeHelpTests
{
    [TestMethod]
    public void Section_DeclaredCodes_OneLineEach()
    {
        var command = new Command("x").WithExitCodes(new ExitCode(ExitCodes.Success, "ok"), new ExitCode(ExitCodes.Stopped, "stopped"));

        string section = ExitCodeHelp.Section(command);

        Assert.AreEqual($"Exit codes:{Environment.NewLine}  0    ok{Environment.NewLine}  130  stopped{Environment.NewLine}", section);
        Assert.AreEqual(string.Empty, ExitCodeHelp.Section(new Command("y")));
    }
}
