namespace StreamingFeatures.IntegrationTests.Cli;

/// <summary>
/// <c>migrate --local</c> refuses a sample the Bigtable emulator it starts cannot hold in memory (exit 2, one line,
/// nothing written) and only warns about an emulator <c>BIGTABLE_EMULATOR_HOST</c> names.
/// </summary>
[TestClass]
[TestCategory("Integration")]
[DoNotParallelize]
public sealed class MigrateLocalCapacityTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Cancellation => TestContext.CancellationToken;

    [TestMethod]
    public async Task Migrate_LocalSampleBeyondMemory_ExitsTwoWithRowsThatFitAndWritesNothing()
    {
        await using var workspace = MigrationWorkspace.Create("toobig");

        CliResult result = await workspace.RunAsync(["migrate", "--local", "--sample-rows", "1000000000", "--table", workspace.Table.Id], environment: null, Cancellation);

        Assert.AreEqual(2, result.Code, result.Output);
        string[] errors = [.. result.Output.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal))];
        Assert.HasCount(1, errors, result.Output);
        StringAssert.StartsWith(errors[0], "error: --sample-rows 1000000000 with 8 features needs about ");
        StringAssert.Contains(errors[0], " rows fit.");
        MigrateAssert.OutputLacks(result, "Unhandled exception");
        Assert.IsFalse(Directory.Exists(workspace.PathOf(MigrationWorkspace.CheckpointFolder)), "no checkpoint: " + string.Join(", ", workspace.Files()));
    }

    [TestMethod]
    public async Task Migrate_SampleBeyondMemoryOnNamedEmulator_WarnsAndGoesOn()
    {
        await using var workspace = MigrationWorkspace.Create("bigext");

        CliResult result = await workspace.RunAsync(
            ["migrate", "--local", "--sample-rows", "1000000000", "--table", workspace.Table.Id, "--dry-run"],
            MigrationWorkspace.SharedEmulator,
            Cancellation);

        Assert.AreEqual(0, result.Code, result.Output);
        MigrateAssert.OutputContains(result, "warning: the Bigtable emulator at " + EmulatorFixture.Bigtable.Endpoint + " keeps every cell in memory: 1,000,000,000 rows of 8 features need about");
        MigrateAssert.OutputContains(result, "Dry run");
    }
}
