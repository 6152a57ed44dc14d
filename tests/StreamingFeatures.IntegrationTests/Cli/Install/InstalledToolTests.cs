using System.Text.Json;
using System.Text.RegularExpressions;
using StreamingFeatures.Cli;

namespace StreamingFeatures.IntegrationTests.Cli.Install;

/// <summary>
/// The README's install path: the CLI packed as a .NET tool, installed with <c>dotnet tool install</c> into a
/// temporary tool path and run by its command name. Packed and installed once for the class.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed partial class InstalledToolTests
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(3);

    private static ToolInstallation? s_tool;

    public TestContext TestContext { get; set; } = null!;

    private static ToolInstallation Tool => s_tool ?? throw new InvalidOperationException("The tool was not installed.");

    [ClassInitialize]
    public static async Task PackAndInstallAsync(TestContext context) =>
        s_tool = await ToolInstallation.PackAndInstallAsync(context.CancellationToken);

    [ClassCleanup]
    public static void Uninstall() => s_tool?.Dispose();

    [TestMethod]
    public async Task Version_InstalledTool_PrintsTheVersionAndTheCommitOfThisBuild()
    {
        CliResult result = await RunAsync(["--version"], environment: null);

        Assert.AreEqual(0, result.Code, result.Output);
        string line = result.Output.Trim();
        Assert.AreEqual(VersionText.Current, line, "the installed tool is the build the tests run on");
        StringAssert.StartsWith(line, $"streamingfeatures {Tool.Version}+");
        Assert.IsTrue(CommitSuffix().IsMatch(line), $"a short commit after the version: {line}");
    }

    [TestMethod]
    public async Task MigrateDryRunLocal_InstalledTool_PrintsThePlanAndSucceeds()
    {
        string work = Directory.CreateDirectory(Path.Combine(Tool.Root, "work")).FullName;
        var environment = new Dictionary<string, string?>
        {
            [CliProcess.BigtableHostVariable] = EmulatorFixture.Bigtable.Endpoint,
        };

        CliResult result = await RunAsync(["migrate", "--dry-run", "--local"], environment, work);

        // Redirected, as in a pipe or a container: one JSON object per line, the plan among them.
        Assert.AreEqual(0, result.Code, result.Output);
        List<JsonElement> lines = [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];
        JsonElement plan = lines.Single(l => l.TryGetProperty("plan", out _)).GetProperty("plan");
        Assert.AreEqual("full", plan.GetProperty("verify").GetString(), result.Output);
        Assert.IsTrue(lines.Any(l => l.TryGetProperty("message", out JsonElement m) && m.GetString()!.Contains("dry run", StringComparison.OrdinalIgnoreCase)), result.Output);
        Assert.IsEmpty(Directory.GetFileSystemEntries(work), "a dry run writes nothing");
    }

    private static JsonElement Parse(string line)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new AssertFailedException($"not one JSON object per line: '{line}' ({e.Message})", e);
        }
    }

    private Task<CliResult> RunAsync(string[] arguments, IReadOnlyDictionary<string, string?>? environment, string? workingDirectory = null)
    {
        // Only the variables the test gives: none of the emulator hosts of the machine running the tests.
        var variables = new Dictionary<string, string?>
        {
            [CliProcess.BigtableHostVariable] = null,
            [CliProcess.BigQueryHostVariable] = null,
            [CliProcess.PubSubHostVariable] = null,
        };
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        return BoundedProcess.RunAsync(Tool.Command, arguments, workingDirectory ?? Tool.Root, variables, s_runTimeout, TestContext.CancellationToken);
    }

    [GeneratedRegex(@"\+[0-9a-f]{7}$")]
    private static partial Regex CommitSuffix();
}
