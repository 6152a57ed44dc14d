namespace StreamingFeatures.IntegrationTests.Cli.LoadTest;

/// <summary>
/// <c>loadtest</c> refuses bad input in one line with exit 2 before the run: the report folder is checked before the
/// figures exist to be lost, and number options say what to type instead of naming .NET types.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LoadTestInputErrorsTests
{
    private const string Profile = """
        name: it-errors
        shape: { kind: steady, rate: 500, duration: 3s }
        keys: { distribution: uniform, keySpace: 1000 }
        """;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Loadtest_OutputInReadOnlyFolder_ExitsTwoBeforeTheRun()
    {
        using var workspace = LoadTestWorkspace.Create("readonly");
        workspace.Write("p.yaml", Profile);
        string readOnly = ReadOnlyFolder(workspace);

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "p.yaml", "--output", Path.Combine(readOnly, "out")], LoadTestWorkspace.SharedBigtable, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        Assert.StartsWith($"error: --output is '{Path.Combine(readOnly, "out")}': cannot write in {readOnly} (", result.Output.Trim(), result.Output);
        Assert.DoesNotContain("Load test '", result.Output, "nothing ran");
        Assert.DoesNotContain("   at ", result.Output, "no stack trace");
    }

    [TestMethod]
    public async Task Loadtest_OutputWithMissingParent_ExitsTwoBeforeTheRun()
    {
        using var workspace = LoadTestWorkspace.Create("noparent");
        workspace.Write("p.yaml", Profile);

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "p.yaml", "--output", "missing/deeper/out"], LoadTestWorkspace.SharedBigtable, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, $"error: --output is '{workspace.PathOf("missing/deeper/out")}': the folder {workspace.PathOf("missing/deeper")} does not exist");
        Assert.DoesNotContain("Load test '", result.Output, "nothing ran");
        Assert.IsFalse(Directory.Exists(workspace.PathOf("missing")), "nothing was created");
    }

    [TestMethod]
    public async Task Loadtest_OutputIsAFile_ExitsTwo()
    {
        using var workspace = LoadTestWorkspace.Create("outfile");
        workspace.Write("p.yaml", Profile);
        workspace.Write("taken", "x");

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "p.yaml", "--output", "taken"], LoadTestWorkspace.SharedBigtable, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        StringAssert.Contains(result.Output, "that is a file");
    }

    [TestMethod]
    [DataRow("--max-throughput-drop", "abc", "a number from 0 to 1")]
    [DataRow("--max-throughput-drop", "NaN", "a number from 0 to 1")]
    [DataRow("--max-p99-rise", "1e999", "a number from 0 to 100")]
    [DataRow("--max-p99-rise", "-1", "a number from 0 to 100")]
    public async Task Loadtest_GateLimitNotANumberInRange_ExitsTwoWithTheErrorLastAndNoTypeName(string option, string value, string allowed)
    {
        using var workspace = LoadTestWorkspace.Create("gate");
        workspace.Write("p.yaml", Profile);

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "p.yaml", option, value], environment: null, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        string[] lines = result.Output.Trim().Split(Environment.NewLine);
        Assert.IsLessThanOrEqualTo(2, lines.Length, "the error and where the help is, not the whole help: " + result.Output);
        Assert.AreEqual($"error: {option} is '{value}'; allowed: {allowed}, e.g. 0.1 for 10 %.", lines[0]);
        Assert.DoesNotContain("System.", result.Output);
    }

    [TestMethod]
    [DataRow("BIGTABLE_EMULATOR_HOST", "bad", "error: BIGTABLE_EMULATOR_HOST is 'bad'; allowed: host:port", DisplayName = "an emulator variable that is no host:port")]
    [DataRow("PUBSUB_EMULATOR_HOST", "localhost:0", "error: PUBSUB_EMULATOR_HOST is 'localhost:0'; allowed: host:port", DisplayName = "an emulator variable with port 0")]
    [DataRow(null, null, "error: --table is 'bad table!'; allowed a Bigtable table id", DisplayName = "a table id Bigtable refuses")]
    public async Task Loadtest_BadEnvironmentOrTable_ExitsTwoInOneLineBeforeTheRun(string? variable, string? value, string expected)
    {
        using var workspace = LoadTestWorkspace.Create("badenv");
        workspace.Write("p.yaml", Profile);
        var environment = variable is null ? new Dictionary<string, string>(LoadTestWorkspace.SharedBigtable) : new Dictionary<string, string> { [variable] = value! };
        string[] table = variable is null ? ["--table", "bad table!"] : [];

        CliResult result = await workspace.RunAsync(["loadtest", "--profile", "p.yaml", .. table], environment, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        Assert.StartsWith(expected, result.Output.Trim(), result.Output);
        Assert.DoesNotContain("   at ", result.Output, "no stack trace");
        Assert.DoesNotContain("Load test '", result.Output, "nothing ran");
    }

    [TestMethod]
    [DataRow("--profile", "a file path")]
    [DataRow("--output", "a folder path")]
    [DataRow("--baseline", "a file path")]
    public async Task Loadtest_EmptyPath_ExitsTwoWithoutTypeName(string option, string allowed)
    {
        using var workspace = LoadTestWorkspace.Create("emptypath");
        workspace.Write("p.yaml", Profile);
        string[] profile = option == "--profile" ? [] : ["--profile", "p.yaml"];

        CliResult result = await workspace.RunAsync(["loadtest", .. profile, option, ""], environment: null, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        Assert.StartsWith($"error: {option} is ''; allowed: {allowed}.", result.Output.Trim(), result.Output);
        Assert.DoesNotContain("System.", result.Output);
    }

    [TestMethod]
    public async Task Loadtest_Help_ListsItsExitCodes()
    {
        using var workspace = LoadTestWorkspace.Create("help");

        CliResult result = await workspace.RunAsync(["loadtest", "--help"], environment: null, Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        StringAssert.Contains(result.Output, "Exit codes:");
        foreach (string code in new[] { "0 ", "1 ", "2 ", "4 ", "130" })
        {
            StringAssert.Contains(result.Output, "  " + code, code);
        }
    }

    /// <summary>A folder this process cannot write in: a 0555 folder, or /sys for root (who writes through mode bits).</summary>
    private static string ReadOnlyFolder(LoadTestWorkspace workspace)
    {
        if (Environment.IsPrivilegedProcess || OperatingSystem.IsWindows())
        {
            return "/sys";
        }

        string folder = workspace.PathOf("readonly");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return folder;
    }
}
