namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary><c>emulator bigquery</c>: bad options in one line without .NET type names; its help lists its exit codes.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class EmulatorCommandErrorTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("eighty")]
    [DataRow("70000")]
    [DataRow("-1")]
    public async Task EmulatorBigQuery_PortNotAWholeNumberInRange_ExitsTwoWithoutTypeName(string value)
    {
        CliResult result = await CliProcess.RunAsync(Path.GetTempPath(), ["emulator", "bigquery", "--port", value], environment: null, TestContext.CancellationToken);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.StartsWith(result.Output.Trim(), $"error: --port is '{value}'; allowed: a whole number from 0 to 65535", result.Output);
        Assert.DoesNotContain("System.", result.Output);
    }

    [TestMethod]
    public async Task EmulatorBigQuery_TableWithoutValue_ExitsTwoInsteadOfServingTheSample()
    {
        CliResult result = await CliProcess.RunAsync(Path.GetTempPath(), ["emulator", "bigquery", "--table"], environment: null, TestContext.CancellationToken);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "--table");
        Assert.DoesNotContain("listening", result.Output);
    }

    [TestMethod]
    public async Task EmulatorBigQuery_Help_ListsItsExitCodes()
    {
        CliResult result = await CliProcess.RunAsync(Path.GetTempPath(), ["emulator", "bigquery", "--help"], environment: null, TestContext.CancellationToken);

        Assert.AreEqual(0, result.Code, result.Output);
        StringAssert.Contains(result.Output, "Exit codes:");
        StringAssert.Contains(result.Output, "  2    A bad --port");
    }
}
