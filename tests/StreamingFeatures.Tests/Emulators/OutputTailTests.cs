using StreamingFeatures.Emulators;

namespace StreamingFeatures.Tests.Emulators;

[TestClass]
public sealed class OutputTailTests
{
    [TestMethod]
    public void Add_MoreLinesThanCapacity_KeepsOnlyTheNewest()
    {
        var tail = new OutputTail(3);
        for (int i = 1; i <= 10; i++)
        {
            tail.Add($"line {i}");
        }

        Assert.AreEqual(string.Join(Environment.NewLine, "line 8", "line 9", "line 10"), tail.ToString());
        Assert.IsTrue(tail.Contains("LINE 9"));
        Assert.IsFalse(tail.Contains("line 7"));
    }

    [TestMethod]
    public void Add_ZeroCapacity_KeepsNothing()
    {
        var tail = new OutputTail(0);
        tail.Add("bind: address already in use");

        Assert.AreEqual(string.Empty, tail.ToString());
    }
}
