using StreamingFeatures.Emulators;

namespace StreamingFeatures.Tests.Emulators;

[TestClass]
public sealed class EmulatorHostTests
{
    [TestMethod]
    [DataRow("127.0.0.1:8086", "127.0.0.1:8086")]
    [DataRow(" localhost:9000 ", "localhost:9000")]
    [DataRow("[::1]:8085", "[::1]:8085")]
    public void Parse_ValidHostPort_ReturnsNormalised(string value, string expected)
    {
        Assert.AreEqual(expected, EmulatorHost.Parse("BIGTABLE_EMULATOR_HOST", value));
    }

    [TestMethod]
    [DataRow("localhost")]
    [DataRow(":8086")]
    [DataRow("localhost:0")]
    [DataRow("localhost:65536")]
    [DataRow("localhost:http")]
    [DataRow("::1:8085")]
    [DataRow("http://localhost:8085")]
    public void Parse_InvalidValue_NamesVariableValueAndForm(string value)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => EmulatorHost.Parse("PUBSUB_EMULATOR_HOST", value));

        StringAssert.Contains(error.Message, "PUBSUB_EMULATOR_HOST");
        StringAssert.Contains(error.Message, $"'{value}'");
        StringAssert.Contains(error.Message, "host:port");
    }
}
