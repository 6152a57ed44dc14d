using System.Text.Json;
using StreamingFeatures.Cli.Migrate;

namespace StreamingFeatures.Tests.Cli.Migrate;

/// <summary>Progress for machines: one JSON object per line, numbers as numbers.</summary>
[TestClass]
public sealed class ProgressLineTests
{
    [TestMethod]
    public void ProgressLine_KnownTotal_NumbersAreNumbersAndDetailIsEscaped()
    {
        using JsonDocument line = JsonDocument.Parse(ProgressReporter.ProgressLine(250, 1_000, 50.4, "retries 2, \"dead\" 0"));

        JsonElement progress = line.RootElement.GetProperty("progress");
        Assert.AreEqual(250, progress.GetProperty("rows").GetInt64());
        Assert.AreEqual(1_000, progress.GetProperty("totalRows").GetInt64());
        Assert.AreEqual(50, progress.GetProperty("rowsPerSecond").GetDouble());
        Assert.AreEqual(15, progress.GetProperty("etaSeconds").GetInt64(), "750 rows at 50.4 rows/s");
        Assert.AreEqual("retries 2, \"dead\" 0", progress.GetProperty("detail").GetString());
    }

    [TestMethod]
    public void ProgressLine_UnknownTotalOrNoRate_EtaIsNull()
    {
        using JsonDocument unknown = JsonDocument.Parse(ProgressReporter.ProgressLine(250, null, 50, ""));
        using JsonDocument stalled = JsonDocument.Parse(ProgressReporter.ProgressLine(0, 1_000, 0, ""));

        Assert.AreEqual(JsonValueKind.Null, unknown.RootElement.GetProperty("progress").GetProperty("etaSeconds").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, unknown.RootElement.GetProperty("progress").GetProperty("totalRows").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, stalled.RootElement.GetProperty("progress").GetProperty("etaSeconds").ValueKind);
    }
}
