using StreamingFeatures.Emulators;

namespace StreamingFeatures.Tests.Emulators;

/// <summary>The local Bigtable emulator's memory from rows × cells, and the refusal when it does not fit.</summary>
[TestClass]
public sealed class BigtableEmulatorCapacityTests
{
    private const long GiB = 1L << 30;

    [TestMethod]
    public void NeededBytes_GrowsByRowAndCellCostsWithHeadroom()
    {
        long one = BigtableEmulatorCapacity.NeededBytes(1_000_000, 4);
        long two = BigtableEmulatorCapacity.NeededBytes(2_000_000, 4);
        long wider = BigtableEmulatorCapacity.NeededBytes(1_000_000, 8);

        Assert.AreEqual((long)(1_000_000 * (BigtableEmulatorCapacity.BytesPerRow + (4 * BigtableEmulatorCapacity.BytesPerCell)) * BigtableEmulatorCapacity.Headroom), two - one);
        Assert.AreEqual((long)(1_000_000 * 4 * BigtableEmulatorCapacity.BytesPerCell * BigtableEmulatorCapacity.Headroom), wider - one);
        Assert.AreEqual(BigtableEmulatorCapacity.BaseBytes, BigtableEmulatorCapacity.NeededBytes(0, 8));
    }

    [TestMethod]
    public void Refusal_TenMillionRowsOfEightFeaturesOn21GiB_RefusedWithRowsThatFit()
    {
        // The case: 8 features at 10M rows cannot fit on a 24 GB machine with 21 GiB available.
        string? refusal = BigtableEmulatorCapacity.Refusal("--sample-rows 10000000", 10_000_000, 8, 21 * GiB);

        Assert.IsNotNull(refusal);
        StringAssert.StartsWith(refusal, "--sample-rows 10000000 with 8 features needs about 23 GiB in the local Bigtable emulator");
        StringAssert.Contains(refusal, "21 GiB is available: at most 9,300,000 rows fit.");
        Assert.DoesNotContain("\n", refusal);
    }

    [TestMethod]
    public void Refusal_TenMillionRowsOfFourFeaturesOn21GiB_Fits()
    {
        // The verified local run: 10M rows of 4 features on the same machine.
        Assert.IsNull(BigtableEmulatorCapacity.Refusal("--sample-rows 10000000", 10_000_000, 4, 21 * GiB));
    }

    [TestMethod]
    public void Refusal_RowsThatFitAreAccepted()
    {
        long available = 8 * GiB;
        long fit = BigtableEmulatorCapacity.RowsThatFit(available, 8);

        Assert.IsNull(BigtableEmulatorCapacity.Refusal("x", fit, 8, available));
        Assert.IsLessThanOrEqualTo(available, BigtableEmulatorCapacity.NeededBytes(fit, 8));
    }

    [TestMethod]
    [DataRow(0L, 0L)]
    [DataRow(1L << 20, 0L)]
    public void RowsThatFit_LessThanTheIdleEmulator_Zero(long available, long expected)
    {
        Assert.AreEqual(expected, BigtableEmulatorCapacity.RowsThatFit(available, 8));
    }

    [TestMethod]
    public void RowsThatFit_RoundedDownToTwoSignificantDigits()
    {
        long rows = BigtableEmulatorCapacity.RowsThatFit(13 * GiB, 8);

        Assert.AreEqual(0, rows % 100_000, rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsGreaterThan(13 * GiB, BigtableEmulatorCapacity.NeededBytes(rows + 100_000, 8), "one more step of rounding would not fit");
    }

    [TestMethod]
    public void ExternalWarning_NamesHostRowsAndNeed()
    {
        Assert.AreEqual(
            "warning: the Bigtable emulator at localhost:8086 keeps every cell in memory: 10,000,000 rows of 8 features need about 23 GiB there; this machine has 21 GiB available. If it runs here, it is likely to be killed mid-run.",
            BigtableEmulatorCapacity.ExternalWarning("localhost:8086", 10_000_000, 8, 21 * GiB));
    }
}
