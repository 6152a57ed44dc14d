using StreamingFeatures.Emulators;

namespace StreamingFeatures.Tests.Emulators;

[TestClass]
public sealed class EmulatorOptionsTests
{
    [TestMethod]
    public void Validate_Defaults_Pass()
    {
        new EmulatorOptions().Validate();
    }

    [TestMethod]
    public void Validate_SeveralBadSettings_ReportsEveryOneWithValueAndRange()
    {
        var options = new EmulatorOptions { StartTimeout = TimeSpan.Zero, OutputLinesKept = -1, ExecutablePath = string.Empty, OutputFile = string.Empty };

        var error = Assert.ThrowsExactly<ArgumentException>(options.Validate);

        StringAssert.Contains(error.Message, "StartTimeout is 00:00:00; allowed 00:00:01 to 00:10:00");
        StringAssert.Contains(error.Message, "OutputLinesKept is -1; allowed 0 to 10000");
        StringAssert.Contains(error.Message, "ExecutablePath is empty");
        StringAssert.Contains(error.Message, "OutputFile is empty");
    }
}
