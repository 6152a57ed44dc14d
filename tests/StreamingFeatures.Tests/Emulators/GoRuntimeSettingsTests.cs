using StreamingFeatures.Emulators;

namespace StreamingFeatures.Tests.Emulators;

[TestClass]
public sealed class GoRuntimeSettingsTests
{
    private const long TwentyFourGiB = 24L * 1024 * 1024 * 1024;

    [TestMethod]
    public void ForBulkLoad_NothingSet_GcLessOftenWithinEightyFivePercentOfMemory()
    {
        IReadOnlyDictionary<string, string> settings = GoRuntimeSettings.ForBulkLoad(_ => null, TwentyFourGiB);

        Assert.HasCount(2, settings);
        Assert.AreEqual("400", settings["GOGC"]);
        Assert.AreEqual("20889MiB", settings["GOMEMLIMIT"], "85 % of 24 GiB, in whole MiB");
    }

    [TestMethod]
    [DataRow("GOGC", "100")]
    [DataRow("GOMEMLIMIT", "8GiB")]
    public void ForBulkLoad_UserSetEither_TheirsWinNothingAdded(string variable, string value)
    {
        IReadOnlyDictionary<string, string> settings = GoRuntimeSettings.ForBulkLoad(name => name == variable ? value : null, TwentyFourGiB);

        Assert.IsEmpty(settings);
    }

    [TestMethod]
    public void ForBulkLoad_MemoryUnknown_NothingAdded() =>
        Assert.IsEmpty(GoRuntimeSettings.ForBulkLoad(_ => null, 0));
}
