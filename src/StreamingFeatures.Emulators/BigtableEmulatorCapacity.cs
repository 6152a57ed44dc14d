using System.Globalization;

namespace StreamingFeatures.Emulators;

/// <summary>
/// Whether a local migration fits in the Bigtable emulator. cbtemulator keeps every cell in its Go heap, so a run
/// that outgrows the machine's memory is killed mid-run; the estimate refuses it before anything is written.
/// </summary>
/// <remarks>
/// Measured on cbtemulator (Cloud SDK) with the sample table, int64 features (perf/README.md, "Local emulator
/// memory"): the resident set grows by about 600 bytes per row plus 165 per cell. Go's collector then needs room
/// above the live heap: with less than about a quarter more it runs without pause and the heap passes GOMEMLIMIT.
/// </remarks>
public static class BigtableEmulatorCapacity
{
    public const long BytesPerRow = 600;
    public const long BytesPerCell = 165;

    /// <summary>The idle emulator and the Go runtime.</summary>
    public const long BaseBytes = 64L << 20;

    /// <summary>Room the collector needs above the live heap.</summary>
    public const double Headroom = 1.25;

    private const double GiB = 1L << 30;

    /// <summary>Memory the emulator needs to hold <paramref name="rows"/> rows of <paramref name="cellsPerRow"/> cells.</summary>
    public static long NeededBytes(long rows, int cellsPerRow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cellsPerRow);
        return BaseBytes + (long)Math.Min(long.MaxValue / 2, rows * (double)PerRow(cellsPerRow) * Headroom);
    }

    /// <summary>The most rows of <paramref name="cellsPerRow"/> cells that fit in <paramref name="availableBytes"/>, rounded down to two significant digits.</summary>
    public static long RowsThatFit(long availableBytes, int cellsPerRow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cellsPerRow);
        long rows = (long)((availableBytes - BaseBytes) / (PerRow(cellsPerRow) * Headroom));
        return RoundDown(Math.Max(0, rows));
    }

    /// <summary>
    /// The one-line refusal when <paramref name="rows"/> rows (described by <paramref name="what"/>, e.g. the option
    /// that set them) of <paramref name="cellsPerRow"/> features need more than <paramref name="availableBytes"/>;
    /// null when they fit.
    /// </summary>
    public static string? Refusal(string what, long rows, int cellsPerRow, long availableBytes)
    {
        long needed = NeededBytes(rows, cellsPerRow);
        if (needed <= availableBytes)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{what} with {cellsPerRow} features needs about {Math.Ceiling(needed / GiB):N0} GiB in the local Bigtable emulator, which keeps every cell in memory; {Math.Floor(availableBytes / GiB):N0} GiB is available: at most {RowsThatFit(availableBytes, cellsPerRow):N0} rows fit. Migrate fewer rows, or set BIGTABLE_EMULATOR_HOST to an emulator with more memory.");
    }

    /// <summary>The warning for an emulator this job did not start, whose memory it cannot see.</summary>
    public static string ExternalWarning(string host, long rows, int cellsPerRow, long availableHereBytes) => string.Create(
        CultureInfo.InvariantCulture,
        $"warning: the Bigtable emulator at {host} keeps every cell in memory: {rows:N0} rows of {cellsPerRow} features need about {Math.Ceiling(NeededBytes(rows, cellsPerRow) / GiB):N0} GiB there; this machine has {Math.Floor(availableHereBytes / GiB):N0} GiB available. If it runs here, it is likely to be killed mid-run.");

    private static long PerRow(int cellsPerRow) => BytesPerRow + (BytesPerCell * cellsPerRow);

    private static long RoundDown(long rows)
    {
        long unit = 1;
        while (rows / unit >= 100)
        {
            unit *= 10;
        }

        return rows / unit * unit;
    }
}
