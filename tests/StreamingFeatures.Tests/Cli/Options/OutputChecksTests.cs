using StreamingFeatures.Cli.Options;

namespace StreamingFeatures.Tests.Cli.Options;

/// <summary>The emulator endpoint variables, checked before a command starts: host:port or a one-line problem naming the variable.</summary>
[TestClass]
public sealed class OutputChecksTests
{
    [TestMethod]
    [DataRow("notahost")]
    [DataRow("host:")]
    [DataRow(":8086")]
    [DataRow("host:0")]
    [DataRow("host:65536")]
    [DataRow("http://host:8086")]
    [DataRow("::1:8086")]
    public void EndpointVariableProblem_NotHostPort_NamesVariableAndForm(string value)
    {
        string? problem = OutputChecks.EndpointVariableProblem("BIGTABLE_EMULATOR_HOST", _ => value);

        Assert.AreEqual($"BIGTABLE_EMULATOR_HOST is '{value}'; allowed: host:port with a port from 1 to 65535, e.g. localhost:8086, 127.0.0.1:8086 or [::1]:8086.", problem);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("127.0.0.1:8086")]
    [DataRow("[::1]:8086")]
    [DataRow("localhost:8086")]
    public void EndpointVariableProblem_UnsetOrHostPort_None(string? value) =>
        Assert.IsNull(OutputChecks.EndpointVariableProblem("BIGTABLE_EMULATOR_HOST", _ => value));
}
