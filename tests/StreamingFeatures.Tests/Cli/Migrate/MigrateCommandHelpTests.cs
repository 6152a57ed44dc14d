using System.CommandLine;
using StreamingFeatures.Cli.Migrate;

namespace StreamingFeatures.Tests.Cli.Migrate;

/// <summary>The migrate flags' help, written from the engine's limits and retry presets: the text a user reads stays put.</summary>
[TestClass]
public sealed class MigrateCommandHelpTests
{
    [TestMethod]
    public void RetryDeadline_Help_NamesRangeAndEachCallsDefault() =>
        StringAssert.EndsWith(
            Description("--retry-deadline"),
            "1s to 1h (the call's own time included; e.g. 90s, 5m). Default: writes 10m, reads 5m, table admin and checkpoint 2m.");

    [TestMethod]
    public void CheckpointInterval_Help_NamesRangeAndDefault()
    {
        Assert.AreEqual("How often progress is saved, 100ms to 1h (e.g. 90s, 5m; a bare number is seconds). Default 5s.", Description("--checkpoint-interval"));
        Assert.AreEqual(TimeSpan.FromSeconds(5), Default<TimeSpan>("--checkpoint-interval"));
    }

    [TestMethod]
    public void MaxRecordBytes_Help_NamesRangeAndDefault()
    {
        StringAssert.EndsWith(Description("--max-record-bytes"), ", 1024 to 104857600.");
        Assert.AreEqual(64L << 20, Default<long>("--max-record-bytes"));
    }

    [TestMethod]
    public void StreamsAndSample_Defaults_AreTheEngines()
    {
        Assert.AreEqual(4, Default<int>("--read-streams"));
        Assert.AreEqual(0, Default<int>("--max-streams"));
        Assert.AreEqual(1_000_000L, Default<long>("--sample-rows"));
        Assert.AreEqual(8, Default<int>("--sample-features"));
        Assert.AreEqual(1, Default<int>("--shard-count"));
    }

    private static Option Find(string name) => MigrateCommand.Create().Options.Single(o => o.Name == name);

    private static string Description(string name) => Find(name).Description!;

    private static T Default<T>(string name) => MigrateCommand.Create().Parse([]).GetValue((Option<T>)Find(name))!;
}
